// `node scripts/results.mjs [--quick] [--out DIR]`: runs `stnas demo --json` on the bundled corpus and
// the trainer's search-step benchmark, then writes docs/results.md (atomically) with the machine and
// date. --quick runs the smoke-test sizes (a check of the script, not results). Run on an idle machine.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outIdx = args.indexOf('--out');
const demoOut =
  outIdx >= 0
    ? path.resolve(args[outIdx + 1])
    : path.join(os.tmpdir(), `stnas-results-demo-${quick ? 'quick' : 'full'}`);
const node = process.execPath;
const tsx = ['--conditions=@stnas/source', '--import', 'tsx'];

function torchVersion() {
  try {
    return execFileSync('/usr/bin/python3', ['-c', 'import torch;print(torch.__version__)'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {
    return 'not installed';
  }
}

const started = new Date();
const load = os.loadavg()[0].toFixed(2);
const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;

console.error(`== stnas demo${quick ? ' --quick' : ''} --out ${demoOut}`);
const t0 = performance.now();
const demo = spawnSync(
  node,
  [
    ...tsx,
    path.join(root, 'packages/trainer/src/cli.ts'),
    'demo',
    '--out',
    demoOut,
    '--json',
    ...(quick ? ['--quick'] : []),
  ],
  {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 26,
  },
);
const demoSeconds = (performance.now() - t0) / 1000;
if (demo.status !== 0) {
  console.error(`stnas demo failed (exit ${demo.status})`);
  process.exit(1);
}
const lines = demo.stdout.trim().split('\n');
const json = JSON.parse(lines.at(-1));
const table = lines
  .slice(
    0,
    lines.findIndex((l) => l.startsWith('report: ')),
  )
  .join('\n');

console.error('== search-step benchmark');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'stnas-results-'));
const benchJson = path.join(tmp, 'bench.json');
const bench = spawnSync(node, [...tsx, path.join(root, 'packages/trainer/bench/search-step.bench.ts')], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, STNAS_RESULTS_JSON: benchJson, ...(quick ? { STNAS_BENCH_QUICK: '1' } : {}) },
});
if (bench.status !== 0) {
  console.error(`the search-step benchmark failed (exit ${bench.status})`);
  process.exit(1);
}
const step = JSON.parse(readFileSync(benchJson, 'utf8'));
rmSync(tmp, { recursive: true, force: true });

const rows = json.results.map(
  (r) =>
    `| ${r.name} | \`${r.architecture}\` | ${r.params.toLocaleString('en-US')} | ${(r.testPer * 100).toFixed(2)}% |`,
);
const doc = `# Results

Written by \`node scripts/results.mjs${quick ? ' --quick' : ''}\` on ${started.toISOString().slice(0, 10)}: ${machine}; load average at start ${load}; torch ${torchVersion()}.
${quick ? '\n**QUICK SMOKE RUN: a few steps per stage and shrunken benchmark shapes. These numbers check the script; they are not results. Run `node scripts/results.mjs` on an idle machine.**\n' : ''}
## \`stnas demo\`: searched architecture against human-designed baselines

The whole pipeline on the bundled corpus (800 training utterances from 16 synthetic speakers, 120 test
utterances from 4 other speakers): warmup, ST search over an MFRNet of 4 blocks x 4 TDNN candidates (128
units), retrain of the derived architecture, and two baselines (the smallest and the largest candidate
in every block) retrained the same way; greedy CTC decoding, phone error rate on the test set.
Wall time of the whole demo: **${(demoSeconds / 60).toFixed(1)} min**.

| model | architecture | params | test PER |
| --- | --- | --- | --- |
${rows.join('\n')}

As printed by \`stnas demo\`:

\`\`\`
${table}
\`\`\`

## Search step: frames per second against PyTorch, time and memory per estimator

${step.table}

${step.notes}
`;
const target = path.join(root, 'docs', 'results.md');
// keep the sections other scripts write (scripts/results-loss-augment.mjs)
let kept = '';
try {
  kept = (
    readFileSync(target, 'utf8').match(/<!-- begin: [\w-]+ -->[\s\S]*?<!-- end: [\w-]+ -->\n?/g) ?? []
  ).join('\n');
} catch {}
const tmpDoc = `${target}.tmp-${process.pid}`;
writeFileSync(tmpDoc, kept ? `${doc.trimEnd()}\n\n${kept}` : doc);
renameSync(tmpDoc, target);
console.error(`wrote ${target}`);

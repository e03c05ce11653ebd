// `node scripts/results.mjs [--quick] [--seeds 0,1,2] [--reuse-baselines] [--no-bench] [--out DIR] [--doc FILE]`
//
// Runs `stnas demo --json` once per seed on the bundled corpus and writes the `demo` section of
// docs/results.md: the architecture each search chose (and how decided it was), the test PER of
// every retrained model, mean and sd of the searched architectures against the baselines and the
// random architectures, a per-utterance comparison, the wall time and the load, and plainly where
// the search does not beat the baselines. Then (unless --no-bench) the trainer's search-step
// benchmark writes the `search-step` section. Every other section of docs/results.md is kept as it
// is, re-read just before writing.
//
// --reuse-baselines trains the two baselines once (the first seed's run) and copies them into the
// other seeds' run dirs, where the demo resumes them as finished: they do not depend on the search,
// only on the retrain seed, so the section then reports them as one run each (no sd).
// --quick runs the smoke-test sizes (a check of the script, not results).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { machine as describeMachine, load, root, tsx } from './stnas-cli.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, fallback) => {
  const k = args.indexOf(name);
  return k >= 0 ? args[k + 1] : fallback;
};
const quick = flag('--quick');
const reuseBaselines = flag('--reuse-baselines');
const seeds = value('--seeds', '0,1,2')
  .split(',')
  .map((s) => Number.parseInt(s, 10));
if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new Error('--seeds takes integers, e.g. 0,1,2');
const base = path.resolve(
  value('--out', path.join(os.tmpdir(), `stnas-results-demo-${quick ? 'quick' : 'full'}`)),
);
const node = process.execPath;
const cli = path.join(root, 'packages/trainer/src/cli.ts');

const machine = describeMachine();
const pct = (x) => `${(x * 100).toFixed(2)}%`;
const readJson = (f) => JSON.parse(readFileSync(f, 'utf8'));
let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
} catch {}

/** Runs one demo, streaming its stderr; resolves to its stdout, stderr, wall seconds and loads. */
function runDemo(seed, out) {
  return new Promise((resolve, reject) => {
    const loadBefore = load();
    const t0 = performance.now();
    const child = spawn(
      node,
      [...tsx, cli, 'demo', '--out', out, '--seed', String(seed), '--json', ...(quick ? ['--quick'] : [])],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`stnas demo --seed ${seed} failed (exit ${code})`));
      else
        resolve({ stdout, stderr, seconds: (performance.now() - t0) / 1000, loadBefore, loadAfter: load() });
    });
  });
}

/** Per-utterance errors of model dirs on the bundled test set (the same greedy decode as the demo). */
function perUtterance(modelDirs) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'stnas-results-utt-'));
  const script = path.join(tmp, 'per-utterance.mts');
  const index = pathToFileURL(path.join(root, 'packages/trainer/src/index.ts')).href;
  writeFileSync(
    script,
    `import { corpusDir, runDecode, selectBackend } from ${JSON.stringify(index)};
await selectBackend('auto');
const out: Record<string, unknown> = {};
for (const m of ${JSON.stringify(modelDirs)}) {
  const r = await runDecode({ model: m, data: corpusDir() + '/test', beam: 0, lmWeight: 0${quick ? ', maxUtts: 24' : ''} });
  out[m] = r.perUtterance;
}
process.stdout.write(JSON.stringify(out));
`,
  );
  const r = spawnSync(node, [...tsx, script], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 26,
  });
  rmSync(tmp, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`per-utterance decode failed (exit ${r.status})`);
  return JSON.parse(r.stdout);
}

const stageEpochs = (dir) => {
  const f = path.join(dir, 'history.json');
  if (!existsSync(f)) return undefined;
  const h = readJson(f);
  return {
    epochs: h.history.length,
    best: h.schedule.bestEpoch,
    reason: h.schedule.reason,
    history: h.history,
  };
};

const MODEL_DIRS = ['retrain', 'baseline-small', 'baseline-large', 'random'];
const runs = [];
/** Replaces (or appends) the section between `<!-- begin: name -->` and `<!-- end: name -->`. */
function putSection(doc, name, body) {
  const block = `<!-- begin: ${name} -->\n${body.trimEnd()}\n<!-- end: ${name} -->`;
  const re = new RegExp(`<!-- begin: ${name} -->[\\s\\S]*?<!-- end: ${name} -->`);
  return re.test(doc) ? doc.replace(re, () => block) : `${doc.trimEnd()}\n\n${block}\n`;
}

const target = path.resolve(value('--doc', path.join(root, 'docs', 'results.md')));

/** Writes one section of the doc, re-reading it first: other scripts own the other sections. */
function writeSection(name, body) {
  let doc = existsSync(target) ? readFileSync(target, 'utf8') : '# Results\n';
  doc = putSection(doc, name, body);
  const tmpDoc = `${target}.tmp-${process.pid}`;
  writeFileSync(tmpDoc, doc);
  renameSync(tmpDoc, target);
  console.error(`wrote the ${name} section of ${target}`);
}

const writeDemoSection = () => writeSection('demo', demoSection(runs));

/** The demo section from the runs so far (written after every seed, so a cut-short run still reports). */
function demoSection(runs) {
  // ---- statistics
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = (xs) =>
    xs.length < 2 ? Number.NaN : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
  const fmtSd = (xs) => (xs.length < 2 ? 'n/a (one run)' : `${(sd(xs) * 100).toFixed(2)}`);
  const rowOf = (run, i) => run.json.results[i];
  const groups = [
    ['searched (st)', 0],
    ['baseline-small', 1],
    ['baseline-large', 2],
    ['random', 3],
  ];
  // A reused baseline is one model: count it once.
  const groupValues = (i) => {
    const vals = runs.map((r) => rowOf(r, i).testPer);
    return reuseBaselines && (i === 1 || i === 2) ? vals.slice(0, 1) : vals;
  };
  const stats = groups.map(([name, i]) => {
    const v = groupValues(i);
    return { name, i, v, mean: mean(v), sd: sd(v) };
  });

  // ---- per-utterance comparison of each seed's searched model against the others, pooled over seeds
  const vsRows = groups.slice(1).map(([name, i]) => {
    let better = 0;
    let worse = 0;
    let equal = 0;
    for (const r of runs) {
      const a = r.utts[r.dirs[0]];
      const row = rowOf(r, i);
      const dir = row.sameAs ? r.dirs[r.json.results.findIndex((x) => x.name === row.sameAs)] : r.dirs[i];
      const b = r.utts[dir];
      if (!a || !b) continue;
      a.forEach((u, k) => {
        const e = b[k].errors;
        if (u.errors < e) better++;
        else if (u.errors > e) worse++;
        else equal++;
      });
    }
    return { name, better, worse, equal };
  });

  // ---- plain statements
  const largestP = (probs) => probs.map((p) => Math.max(...p));
  const statements = [];
  const decided = runs.filter((r) => largestP(r.arch.probs).every((x) => x >= 0.6));
  statements.push(
    `The search decided (every node's largest p at least 0.6) in ${decided.length} of ${runs.length} seeds` +
      (decided.length < runs.length
        ? `; the others printed "warning: the search did not decide": ${runs
            .filter((r) => !decided.includes(r))
            .map(
              (r) =>
                `seed ${r.seed} with largest p ${largestP(r.arch.probs)
                  .map((x, n) => `${x.toFixed(2)} (node ${n})`)
                  .join(', ')}${r.warning ? '' : ' (but no warning line was found in its output)'}`,
            )
            .join(
              '; ',
            )}. An undecided node's op is close to a coin flip, so the searched architecture there says little about the method.`
        : '.'),
  );
  for (const r of runs) {
    const s = rowOf(r, 0).testPer;
    const base = [1, 2].map((i) => rowOf(r, i).testPer);
    const best = Math.min(...base);
    const worst = Math.max(...base);
    const bits = [];
    if (s > best) bits.push(`${((s - best) * 100).toFixed(2)} points worse than the best baseline`);
    if (s > best + 0.01) bits.push('more than the 1 point the issue allows');
    if (worst - s < 0.01)
      bits.push(`not 1 point better than the worst baseline (by ${((worst - s) * 100).toFixed(2)})`);
    if (s > rowOf(r, 3).testPer)
      bits.push(`worse than the random architecture (${pct(rowOf(r, 3).testPer)})`);
    statements.push(
      bits.length === 0
        ? `Seed ${r.seed}: the searched architecture (${pct(s)}) beats both baselines (best ${pct(best)}) and the random architecture (${pct(rowOf(r, 3).testPer)}).`
        : `Seed ${r.seed}: the search does not beat everything: searched ${pct(s)} is ${bits.join('; ')}.`,
    );
  }
  const [sS, sSmall, sLarge, sRandom] = stats;
  const bestBase = sSmall.mean <= sLarge.mean ? sSmall : sLarge;
  statements.push(
    sS.mean < bestBase.mean
      ? `On the mean over seeds the searched architectures (${pct(sS.mean)}) beat the better baseline, ${bestBase.name} (${pct(bestBase.mean)}), by ${((bestBase.mean - sS.mean) * 100).toFixed(2)} points${sS.v.length > 1 && Math.abs(bestBase.mean - sS.mean) < 2 * sS.sd ? `, a gap below two of the searched runs' sd (${(sS.sd * 100).toFixed(2)}): not a clear win` : ''}.`
      : `On the mean over seeds the search does not beat the better baseline: searched ${pct(sS.mean)} against ${bestBase.name} ${pct(bestBase.mean)}.`,
  );
  statements.push(
    sS.mean < sRandom.mean
      ? `Against the random architectures (${pct(sRandom.mean)} on the mean) the searched ones are ${((sRandom.mean - sS.mean) * 100).toFixed(2)} points better.`
      : `The search does not beat random architectures: searched ${pct(sS.mean)} against random ${pct(sRandom.mean)} on the mean.`,
  );

  // ---- the section
  const totalMin = runs.reduce((a, r) => a + r.seconds, 0) / 60;
  const ops = (a) => a.replaceAll('tdnn-', '').replaceAll('Nln', '');
  const section = `## \`stnas demo\`: searched architectures against baselines and random architectures (issue 14)

Written by \`node scripts/results.mjs${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC at commit ${commit}: ${machine}. The machine was shared with other jobs: the load averages say how much.
${quick ? '\n**QUICK SMOKE RUN: a few steps per stage. These numbers check the script; they are not results.**\n' : ''}
Each seed runs the whole demo on the bundled corpus (800 training utterances of 16 synthetic speakers,
dev 90, test 120 utterances of 4 other speakers): warmup, ST search until the decision is stable
(every node's argmax unchanged for 2 epochs and its largest p at least 0.6) or the search's epoch cap,
then retrains of the searched architecture, the two baselines (the smallest and the largest candidate
in every block) and one architecture drawn uniformly from the space with the same seed, each under the
reference's retrain rule (the lr drops 10x on every non-improving dev epoch after the minimum epochs,
stop below 1e-5, or at the cap); greedy CTC decoding, phone error rate (PER) on the test set. The seed
sets the initialisation, the data order, the path sampling and the random draw.${reuseBaselines ? `\n**The baselines were trained once (seed ${seeds[0]}) and reused by the other seeds**: they do not depend on the search, so their sd over seeds is not measured.` : ''}
Total wall time: **${totalMin.toFixed(1)} min** for ${runs.length} demo${runs.length === 1 ? '' : 's'}.${runs.length < seeds.length ? ` **Only ${runs.length} of the ${seeds.length} requested seeds (${seeds.join(', ')}) had finished when this was written.**` : ''}

| seed | searched architecture | largest p per node | search | searched | small | large | random (architecture) | wall | load before / after |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${runs
  .map((r) => {
    const cell = (i) =>
      rowOf(r, i).sameAs
        ? `${pct(rowOf(r, i).testPer)} (same as ${rowOf(r, i).sameAs === rowOf(r, 0).name ? 'searched' : rowOf(r, i).sameAs})`
        : pct(rowOf(r, i).testPer);
    const st = r.stages.search;
    return `| ${r.seed} | \`${ops(rowOf(r, 0).architecture)}\` | ${largestP(r.arch.probs)
      .map((x) => x.toFixed(2))
      .join(
        ' ',
      )} | ${st ? `${st.epochs} epoch${st.epochs === 1 ? '' : 's'}: ${st.reason ?? ''}` : ''} | ${cell(0)} | ${cell(1)} | ${cell(2)} | ${cell(3)} (\`${ops(rowOf(r, 3).architecture)}\`) | ${(r.seconds / 60).toFixed(1)} min | ${r.loadBefore} / ${r.loadAfter} |`;
  })
  .join('\n')}

| model | runs | test PER, mean | sd (points) | min | max |
| --- | --- | --- | --- | --- | --- |
${stats.map((s) => `| ${s.name} | ${s.v.length} | ${pct(s.mean)} | ${fmtSd(s.v)} | ${pct(Math.min(...s.v))} | ${pct(Math.max(...s.v))} |`).join('\n')}

Per test utterance, each seed's searched model against the model of the same seed (pooled over seeds;
fewer phone errors is better):

| searched against | utterances better | worse | equal |
| --- | --- | --- | --- |
${vsRows.map((v) => `| ${v.name} | ${v.better} | ${v.worse} | ${v.equal} |`).join('\n')}

Epochs trained (best epoch) per stage:

| seed | warmup | search | searched | small | large | random |
| --- | --- | --- | --- | --- | --- | --- |
${runs
  .map(
    (r) =>
      `| ${r.seed} | ${['warmup', 'search', ...MODEL_DIRS].map((s) => (r.stages[s] ? `${r.stages[s].epochs} (${r.stages[s].best})` : 'not trained')).join(' | ')} |`,
  )
  .join('\n')}

### Where the search does and does not beat the baselines

${statements.map((s) => `- ${s}`).join('\n')}

As printed by \`stnas demo --seed ${runs[0].seed}\`:

\`\`\`
${runs[0].table}
\`\`\`
`;

  return section;
}

for (const [k, seed] of seeds.entries()) {
  const out = path.join(base, `seed-${seed}`);
  if (reuseBaselines && k > 0) {
    const first = path.join(base, `seed-${seeds[0]}`);
    for (const d of ['baseline-small', 'baseline-large'])
      if (!existsSync(path.join(out, d)) && existsSync(path.join(first, d, 'model.json')))
        cpSync(path.join(first, d), path.join(out, d), { recursive: true });
  }
  console.error(`== stnas demo --seed ${seed}${quick ? ' --quick' : ''} --out ${out} (load ${load()})`);
  const r = await runDemo(seed, out);
  const lines = r.stdout.trim().split('\n');
  const json = JSON.parse(lines.at(-1));
  const arch = readJson(path.join(out, 'search', 'architecture.json'));
  const dirs = json.results.map((_, i) => path.join(out, MODEL_DIRS[i]));
  const trained = dirs.filter((d) => existsSync(path.join(d, 'model.json')));
  runs.push({
    seed,
    out,
    ...r,
    json,
    arch,
    table: lines
      .slice(
        0,
        lines.findIndex((l) => l.startsWith('report: ')),
      )
      .join('\n'),
    warning: r.stderr.split('\n').find((l) => l.startsWith('warning: the search did not decide')),
    stages: Object.fromEntries(
      ['warmup', 'search', ...MODEL_DIRS].map((s) => [s, stageEpochs(path.join(out, s))]),
    ),
    utts: perUtterance(trained),
    dirs,
  });
  writeDemoSection();
}

// ---- the search-step benchmark
let benchSection;
if (!flag('--no-bench')) {
  console.error('== search-step benchmark');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'stnas-results-'));
  const benchJson = path.join(tmp, 'bench.json');
  const loadBefore = load();
  const bench = spawnSync(node, [...tsx, path.join(root, 'packages/trainer/bench/search-step.bench.ts')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, STNAS_RESULTS_JSON: benchJson, ...(quick ? { STNAS_BENCH_QUICK: '1' } : {}) },
  });
  if (bench.status !== 0) {
    console.error(`the search-step benchmark failed (exit ${bench.status})`);
    process.exit(1);
  }
  const step = readJson(benchJson);
  rmSync(tmp, { recursive: true, force: true });
  let torch = 'not installed';
  try {
    torch = execFileSync('/usr/bin/python3', ['-c', 'import torch;print(torch.__version__)'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {}
  benchSection = `## Search step: frames per second against PyTorch, time and memory per estimator

Written by \`node scripts/results.mjs\` on ${new Date().toISOString().slice(0, 10)}: ${machine}; load average before / after ${loadBefore} / ${load()}; torch ${torch}.
${quick ? '\n**QUICK SMOKE RUN: shrunken benchmark shapes, not results.**\n' : ''}
${step.table}

${step.notes}
`;
}

if (benchSection) writeSection('search-step', benchSection);

// Helpers for the results scripts: run the `stnas` CLI from source (tsx, the @stnas/source
// condition) and describe the machine and its load for the record.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Node arguments that run TypeScript sources of the workspace. */
export const tsx = ['--conditions=@stnas/source', '--import', 'tsx'];
const cli = path.join(root, 'packages', 'trainer', 'src', 'cli.ts');

/** The 1-minute load average, two decimals. */
export const load = () => os.loadavg()[0].toFixed(2);

/** One line naming the cores, memory, Node and platform. */
export const machine = () =>
  `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown cpu'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;

/** Runs `stnas argv` and returns its stdout and stderr; throws with stderr printed on failure. */
export function stnasRun(argv, what) {
  const r = spawnSync(process.execPath, [...tsx, cli, ...argv], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) {
    console.error(r.stderr);
    throw new Error(`${what} failed (exit ${r.status})`);
  }
  return { stdout: r.stdout, stderr: r.stderr };
}

/** The JSON of the last stdout line of a `--json` run. */
export const lastJsonLine = (stdout) => JSON.parse(stdout.trim().split('\n').pop());

/** Runs `stnas argv` (with --json among them) and returns the JSON of its last stdout line; throws with stderr printed on failure. */
export const stnasJson = (argv, what) => lastJsonLine(stnasRun(argv, what).stdout);

const corpus = path.join(root, 'packages', 'corpus', 'data');

/** Writes search-space's DEMO_CONFIG with the bundled corpus's unit count to `file`, as stnas demo builds it. */
export function writeDemoConfig(file) {
  const config = JSON.parse(
    execFileSync(
      process.execPath,
      [...tsx, '-e', "import('@stnas/search-space').then((m) => console.log(JSON.stringify(m.DEMO_CONFIG)))"],
      { cwd: path.join(root, 'packages', 'trainer'), encoding: 'utf8' },
    ),
  );
  config.net_configs.num_classes = readFileSync(path.join(corpus, 'lang', 'units.txt'), 'utf8')
    .split('\n')
    .filter(Boolean).length;
  writeFileSync(file, JSON.stringify(config, null, 2));
}

/**
 * `stnas retrain` arguments of docs/results.md's loss table (scripts/results-loss-augment.mjs): one
 * fixed TDNN (4 x tdnn-C1D1Nln) on the bundled corpus, batch 16, lr 2e-3; by default seed 0 and 4
 * epochs (lr decay after 3) of 50 batches, training on the bundled train set.
 */
export function lossTableRetrainArgs({
  config,
  out,
  name,
  data = corpus,
  seed = 0,
  epochs = 4,
  minEpochs = 3,
  steps = 50,
  maxUtts,
}) {
  // prettier-ignore
  return [
    'retrain',
    '--config',
    config,
    '--data',
    path.join(data, 'train'),
    '--dev',
    path.join(corpus, 'dev'),
    '--lexicon',
    path.join(corpus, 'lang', 'lexicon.txt'),
    '--units',
    path.join(corpus, 'lang', 'units.txt'),
    '--out',
    out,
    '--name',
    name,
    '--arch',
    Array(4).fill('tdnn-C1D1Nln').join(','),
    '--batch-size',
    '16',
    '--lr',
    '2e-3',
    '--seed',
    String(seed),
    '--max-epochs',
    String(epochs),
    '--min-epochs',
    String(minEpochs),
    '--steps-per-epoch',
    String(steps),
    '--checkpoint-every',
    '50',
    ...(maxUtts ? ['--max-utts', String(maxUtts)] : []),
  ];
}

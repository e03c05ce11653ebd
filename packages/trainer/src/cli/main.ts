import { parseArgs } from 'node:util';
import { type BackendRequest, BackendUnavailableError } from '../backend/select-backend';
import { EXIT, InputError, UsageError } from '../errors';
import { COMMAND_HELP, HELP } from './help';
import type { CliIo } from './io';
import { choice, type OptionValues } from './options';

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  progress: {
    write: (t) => process.stderr.write(t),
    get isTTY() {
      return Boolean(process.stderr.isTTY);
    },
    get columns() {
      return process.stderr.columns;
    },
  },
};

const BACKENDS: readonly BackendRequest[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

const S = { type: 'string' } as const;
const OPTIONS = {
  backend: { type: 'string', default: 'auto' },
  blas: { type: 'string', default: 'auto' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  config: S,
  data: S,
  dev: S,
  test: S,
  out: S,
  seed: S,
  lexicon: S,
  units: S,
  'batch-size': S,
  'batch-frames': S,
  librispeech: S,
  'fbank-config': S,
  compress: S,
  'allow-pipes': { type: 'boolean' },
  workers: S,
  lr: S,
  'max-epochs': S,
  'min-epochs': S,
  'steps-per-epoch': S,
  'checkpoint-every': S,
  'max-utts': S,
  'min-loss-improve': S,
  estimator: S,
  'held-out-ratio': S,
  'arch-lr': S,
  'stable-epochs': S,
  'decision-threshold': S,
  'path-check': S,
  'search-epochs': S,
  arch: S,
  name: S,
  'lr-floor': S,
  model: S,
  beam: S,
  lm: S,
  'lm-weight': S,
  'write-logits': S,
  'word-lm': S,
  'word-bonus': S,
  'tune-dev': S,
  text: S,
  order: S,
  quick: { type: 'boolean', default: false },
  plan: S,
  jobs: S,
  queue: S,
  concurrency: S,
  'stalled-ms': S,
  id: S,
  loss: S,
  'crf-lambda': S,
  'crf-order': S,
  'spec-augment': { type: 'boolean' },
  'spec-augment-config': S,
  'speed-perturb': S,
} as const;

const GLOBAL = ['backend', 'blas', 'json', 'help'];
const TRAIN = [
  'config',
  'data',
  'dev',
  'out',
  'seed',
  'lexicon',
  'units',
  'batch-size',
  'batch-frames',
  'lr',
  'max-epochs',
  'steps-per-epoch',
  'checkpoint-every',
  'max-utts',
  'loss',
  'crf-lambda',
  'crf-order',
  'spec-augment',
  'spec-augment-config',
  'speed-perturb',
];
const ALLOWED: Record<string, string[]> = {
  doctor: [],
  warmup: [...TRAIN, 'min-epochs', 'min-loss-improve'],
  search: [
    ...TRAIN,
    'estimator',
    'held-out-ratio',
    'arch-lr',
    'stable-epochs',
    'decision-threshold',
    'path-check',
  ],
  retrain: [...TRAIN, 'arch', 'name', 'min-epochs', 'lr-floor'],
  decode: [
    'model',
    'data',
    'lexicon',
    'beam',
    'lm',
    'lm-weight',
    'write-logits',
    'max-utts',
    'word-lm',
    'word-bonus',
    'tune-dev',
  ],
  lm: ['text', 'order', 'out', 'dev'],
  report: ['out'],
  pipeline: [
    ...TRAIN,
    'test',
    'estimator',
    'held-out-ratio',
    'arch-lr',
    'min-epochs',
    'beam',
    'stable-epochs',
    'decision-threshold',
    'path-check',
    'search-epochs',
    'word-lm',
  ],
  demo: ['out', 'seed', 'quick', 'estimator', 'stable-epochs', 'decision-threshold', 'search-epochs'],
  prepare: [
    'data',
    'librispeech',
    'out',
    'fbank-config',
    'compress',
    'allow-pipes',
    'lexicon',
    'workers',
    'speed-perturb',
    'seed',
  ],
  experiment: ['plan', 'out', 'jobs', 'queue'],
  worker: ['queue', 'concurrency', 'stalled-ms'],
  'experiment-job': ['out', 'id'],
};

/** Runs the `stnas` command line with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  try {
    const { values, positionals, tokens } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: OPTIONS,
    });
    const [command, ...rest] = positionals;
    if (!command || command === 'help') {
      io.out(HELP);
      return values.help || command === 'help' ? EXIT.ok : EXIT.usage;
    }
    const allowed = ALLOWED[command];
    if (!allowed) throw new UsageError(`unknown command "${command}" (run 'stnas --help' for the list)`);
    if (values.help) {
      io.out(COMMAND_HELP[command]!);
      return EXIT.ok;
    }
    for (const t of tokens ?? []) {
      if (t.kind === 'option' && !GLOBAL.includes(t.name) && !allowed.includes(t.name)) {
        throw new UsageError(
          `option --${t.name} does not apply to 'stnas ${command}' (see 'stnas ${command} --help')`,
        );
      }
    }
    if (rest.length > 0)
      throw new UsageError(`${command} takes no positional arguments, got "${rest.join(' ')}"`);
    const backend = choice(values as OptionValues, 'backend', BACKENDS, 'auto');
    // --blas off reaches every selectBackend of the command, and the processes it starts, through
    // STNAS_BLAS, which @stnas/engine reads.
    if (choice(values as OptionValues, 'blas', ['auto', 'off'] as const, 'auto') === 'off') {
      process.env.STNAS_BLAS = 'off';
    }
    const v = values as OptionValues;
    switch (command) {
      case 'doctor': {
        const { formatDoctor, runDoctor } = await import('./doctor');
        const report = await runDoctor(backend);
        io.out(values.json ? JSON.stringify(report) : formatDoctor(report));
        return EXIT.ok;
      }
      case 'experiment':
      case 'worker':
      case 'experiment-job': {
        const { runExperimentCommand } = await import('./experiment-commands');
        return await runExperimentCommand(command, v, backend, io);
      }
      default: {
        const { runCommand } = await import('./commands');
        return await runCommand(command, v, backend, io);
      }
    }
  } catch (err) {
    return reportError(err, io);
  }
}

function reportError(err: unknown, io: CliIo): number {
  const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
  io.err(`stnas: ${msg}`);
  if (err instanceof UsageError) return EXIT.usage;
  if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
    return EXIT.usage;
  if (err instanceof BackendUnavailableError) return EXIT.backend;
  if (err instanceof InputError) return EXIT.input;
  const name = err instanceof Error ? err.name : '';
  if (name === 'QueueUnavailableError') return EXIT.queue;
  const inputErrors = [
    'KaldiFormatError',
    'CheckpointError',
    'ResumeError',
    'DataDirError',
    'CtcInputError',
    'ArpaFormatError',
    'WordLmError',
  ];
  if (inputErrors.includes(name)) return EXIT.input;
  return EXIT.failure;
}

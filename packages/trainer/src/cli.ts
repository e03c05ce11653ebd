#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BackendRequest, BackendUnavailableError } from './backend/select-backend';
import { formatDoctor, runDoctor } from './doctor';

/** Where the CLI writes; tests pass their own to capture output. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** A usage error: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const BACKENDS: readonly BackendRequest[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

const HELP = `stnas: efficient neural architecture search for end-to-end speech recognition (ST-NAS)

Usage: stnas [global options] <command> [options]

Commands:
  doctor     print the Node version, the selected backend and why, SIMD/threads, and which
             optional backends are missing

Global options:
  --backend auto|tensorflow|wasm|cpu   compute engine (default auto: tfjs-node-gpu, tfjs-node,
                                       wasm, cpu, the first that loads)
  --json                               machine-readable output
  -h, --help                           this help

Run 'stnas <command> --help' for a command's options.`;

const DOCTOR_HELP = `Usage: stnas doctor [--backend auto|tensorflow|wasm|cpu] [--json]

Selects a compute backend exactly as training would and prints what it found. Exits 0 when a
backend runs; non-zero with one line when the requested backend cannot be loaded.`;

/** Runs the `stnas` command line with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        backend: { type: 'string', default: 'auto' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const [command, ...rest] = positionals;
    if (!command) {
      io.out(HELP);
      return values.help ? 0 : 2;
    }
    const backend = values.backend as BackendRequest;
    if (!BACKENDS.includes(backend)) {
      throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}, not "${values.backend}"`);
    }
    switch (command) {
      case 'doctor': {
        if (values.help) {
          io.out(DOCTOR_HELP);
          return 0;
        }
        if (rest.length > 0) throw new UsageError(`doctor takes no arguments, got "${rest.join(' ')}"`);
        const report = await runDoctor(backend);
        io.out(values.json ? JSON.stringify(report) : formatDoctor(report));
        return 0;
      }
      case 'help':
        io.out(HELP);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}" (run 'stnas --help' for the list)`);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof BackendUnavailableError) {
      io.err(`stnas: ${err.message}`);
      return err instanceof UsageError ? 2 : 3;
    }
    if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`stnas: ${err.message}`);
      return 2;
    }
    io.err(`stnas: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

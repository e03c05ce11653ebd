import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { MAX_WASM_THREADS, startThreaded, wasmThreadsProblem, writeWorkerScript } from './wasm-threads';

/** What the wasm backend reported after it started. */
export interface WasmInfo {
  /** Whether the SIMD binary was loaded. */
  simd: boolean;
  /** Threads XNNPACK runs with (1 when the single-threaded binary runs). */
  threads: number;
  /** Folder the `.wasm` files were loaded from. */
  wasmDir: string;
  /** One line saying why fewer threads run than were asked for, when that happens. */
  note?: string;
}

/** Options for {@link setupWasmBackend}. */
export interface WasmOptions {
  /** Threads to use; defaults to one per core (`os.availableParallelism()`), at most 8. */
  threads?: number;
  /** Folder for the pthread worker script (written once, content-addressed); default os.tmpdir(). */
  workerDir?: string;
  /** Milliseconds to wait for the threaded backend's workers before falling back; default 60 000. */
  startTimeoutMs?: number;
}

/** The folder inside `@tensorflow/tfjs-backend-wasm` that holds its `.wasm` binaries. */
export function wasmBinaryDir(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('@tensorflow/tfjs-backend-wasm');
  return path.dirname(main);
}

type Tf = typeof import('@tensorflow/tfjs-core');
type Wasm = typeof import('@tensorflow/tfjs-backend-wasm');

let started: Promise<WasmInfo> | undefined;
let startedThreads = 0;

function oneLine(err: unknown): string {
  const msg =
    err instanceof Error ? err.message : ((err as { message?: string } | null)?.message ?? String(err));
  return msg.split('\n')[0]!.trim();
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  // A pending timer also keeps Node alive: without it a stuck start ends the process silently.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function startWasm(
  tf: Tf,
  wasm: Wasm,
  threads: number,
  options: WasmOptions,
): Promise<{ note?: string }> {
  const problem = threads > 1 ? wasmThreadsProblem() : undefined;
  if (threads > 1 && !problem) {
    try {
      const workerFile = writeWorkerScript(options.workerDir);
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
      wasm.setThreadsCount(threads);
      const ok = await startThreaded(
        threads,
        workerFile,
        () =>
          withTimeout(
            tf.setBackend('wasm'),
            options.startTimeoutMs ?? 60_000,
            'starting the threaded wasm backend',
          ),
        () => (tf.findBackend('wasm') as unknown as { wasm?: object } | null)?.wasm,
      );
      if (ok) return {};
      throw new Error('tf.setBackend("wasm") returned false');
    } catch (err) {
      const note = `wasm threads failed to start (${oneLine(err)}); running single-threaded`;
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      wasm.setThreadsCount(1);
      if (!(await tf.setBackend('wasm'))) throw new Error(`the wasm backend failed to start after: ${note}`);
      return { note };
    }
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  wasm.setThreadsCount(1);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to start');
  return problem ? { note: `wasm threads unavailable (${problem}); running single-threaded` } : {};
}

/**
 * Registers and starts the wasm backend offline in Node with SIMD and one XNNPACK thread per core:
 * the `.wasm` files are read from the package's own `dist` folder, never fetched. If threads
 * cannot start, it runs single-threaded and says why in `note`. The backend starts once per
 * process; later calls make it active again and report the threads it started with.
 */
export async function setupWasmBackend(options: WasmOptions = {}): Promise<WasmInfo> {
  const requested = options.threads ?? os.availableParallelism();
  if (!Number.isInteger(requested) || requested < 1) {
    throw new RangeError(`setupWasmBackend: threads must be a positive integer, got ${options.threads}`);
  }
  const threads = Math.min(requested, MAX_WASM_THREADS);
  if (started) {
    const info = await started;
    const tf = await import('@tensorflow/tfjs-core');
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to start');
    return threads === startedThreads || info.note
      ? info
      : {
          ...info,
          note: `the wasm backend already runs with ${info.threads} thread(s); threads are fixed per process`,
        };
  }
  startedThreads = threads;
  started = (async () => {
    const tf = await import('@tensorflow/tfjs-core');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const wasmDir = wasmBinaryDir();
    wasm.setWasmPaths(`${wasmDir}${path.sep}`);
    let { note } = await startWasm(tf, wasm, threads, options);
    await tf.ready();
    const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    const threaded = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
    const actual = threaded ? wasm.getThreadsCount() : 1;
    if (!note && requested > actual) {
      note = `running ${actual} wasm thread(s) of the ${requested} asked for (at most ${MAX_WASM_THREADS})`;
    }
    return note ? { simd, threads: actual, wasmDir, note } : { simd, threads: actual, wasmDir };
  })();
  started.catch(() => {
    started = undefined;
  });
  return started;
}

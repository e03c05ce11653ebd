import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** What the wasm backend reported after it started. */
export interface WasmInfo {
  /** Whether the SIMD binary was loaded. */
  simd: boolean;
  /** Threads XNNPACK runs with (1 when the single-threaded binary runs). */
  threads: number;
  /** Folder the `.wasm` files were loaded from. */
  wasmDir: string;
}

/** Options for {@link setupWasmBackend}. */
export interface WasmOptions {
  /** Threads to use; defaults to one per core (`os.availableParallelism()`). */
  threads?: number;
}

/** The folder inside `@tensorflow/tfjs-backend-wasm` that holds its `.wasm` binaries. */
export function wasmBinaryDir(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('@tensorflow/tfjs-backend-wasm');
  return path.dirname(main);
}

/**
 * Registers and starts the wasm backend offline in Node: the `.wasm` files are read from the
 * package's own `dist` folder, never fetched. Returns what variant runs.
 */
export async function setupWasmBackend(options: WasmOptions = {}): Promise<WasmInfo> {
  const tf = await import('@tensorflow/tfjs-core');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const wasmDir = wasmBinaryDir();
  wasm.setWasmPaths(`${wasmDir}${path.sep}`);
  const threads = options.threads ?? os.availableParallelism();
  wasm.setThreadsCount(threads);
  const ok = await tf.setBackend('wasm');
  if (!ok) throw new Error(`the wasm backend failed to start (binaries in ${wasmDir})`);
  await tf.ready();
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threaded = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  return { simd, threads: threaded ? wasm.getThreadsCount() : 1, wasmDir };
}

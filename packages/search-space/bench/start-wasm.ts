// The wasm backend for the search-space benchmarks (supernet, step-profile, tdnn).
import * as tf from '@tensorflow/tfjs-core';

// @stnas/engine owns wasm start-up in Node (offline binaries, threads), re-exported by the trainer;
// loaded by path so this package's typecheck does not compile those sources.
const wasmNode = '../../trainer/src/backend/wasm-node';

/** Starts the wasm backend (SIMD, one thread per core) and makes it active; resolves to what runs. */
export async function startWasm(): Promise<{ simd: boolean; threads: number }> {
  const { setupWasmBackend } = (await import(wasmNode)) as {
    setupWasmBackend: () => Promise<{ simd: boolean; threads: number }>;
  };
  const info = await setupWasmBackend();
  await tf.setBackend('wasm');
  return info;
}

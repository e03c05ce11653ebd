// Run the same checks under several TF.js backends: `describe.each(testBackends)` with
// `beforeAll(() => useBackend(name))`. The wasm backend starts offline from the package's files.
import * as tf from '@tensorflow/tfjs-core';
import { setupWasmBackend } from '../packages/trainer/src/backend/wasm-node';

/** Backends every cross-backend spec runs under. */
export const testBackends = ['cpu', 'wasm'] as const;
export type TestBackend = (typeof testBackends)[number];

let wasmReady: Promise<unknown> | undefined;

/** Makes `name` the active backend (starting wasm once per test file). */
export async function useBackend(name: TestBackend): Promise<void> {
  if (name === 'wasm') {
    wasmReady ??= setupWasmBackend({ threads: 1 });
    await wasmReady;
  }
  await tf.setBackend(name);
  await tf.ready();
}

// Run the same checks under several TF.js backends: `describe.each(testBackends)` with
// `beforeAll(() => useBackend(name))`. The wasm backend starts offline from the package's files.
// `wasm-blas` is the wasm backend with @stnas/engine's BLAS kernels (cblas_sgemm matMul and TDNN);
// it is listed when the machine has a BLAS, and always under CI (which installs OpenBLAS), so a
// missing library fails there instead of silently testing less.
import * as tf from '@tensorflow/tfjs-core';
import { installBlasKernels, uninstallBlasKernels } from '../packages/engine/src/blas-kernels';
import { loadBlas } from '../packages/engine/src/blas-library';
import { setupWasmBackend } from '../packages/engine/src/wasm-node';
import type { SystemTool } from './system-tools';

const blasLoad = loadBlas({ threads: 1 });

/** Debian's OpenBLAS, which CI installs for the BLAS engine's tests. */
export const OPENBLAS: SystemTool = {
  name: 'OpenBLAS',
  path: '/usr/lib/x86_64-linux-gnu/libopenblas.so.0',
  aptPackage: 'libopenblas0-pthread',
};

/** Whether tests that need a BLAS skip: none on this machine and not CI (under CI they run). */
export const skipWithoutBlas = !blasLoad.blas && !process.env.CI;

/** Every backend name `useBackend` accepts. */
export const allTestBackends = ['cpu', 'wasm', 'wasm-blas'] as const;
export type TestBackend = (typeof allTestBackends)[number];

/** Backends every cross-backend spec runs under. */
export const testBackends: readonly TestBackend[] =
  blasLoad.blas || process.env.CI ? allTestBackends : (['cpu', 'wasm'] as const);

let wasmReady: Promise<unknown> | undefined;

/** Makes `name` the active backend (starting wasm once per test file). */
export async function useBackend(name: TestBackend): Promise<void> {
  if (name === 'wasm' || name === 'wasm-blas') {
    wasmReady ??= setupWasmBackend({ threads: 1 });
    await wasmReady;
  }
  if (name === 'wasm-blas') {
    if (!blasLoad.blas) throw new Error(`wasm-blas: ${blasLoad.reason}`);
    installBlasKernels('wasm', blasLoad.blas.sgemm);
  } else if (name === 'wasm') {
    uninstallBlasKernels('wasm');
  }
  await tf.setBackend(name === 'wasm-blas' ? 'wasm' : name);
  await tf.ready();
}

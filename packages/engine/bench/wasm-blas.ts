// Start-up shared by the engine benchmarks: the wasm backend (one thread per core) and the BLAS
// with as many threads, whose kernels each benchmark installs and removes between rounds.
import { installBlasKernels, uninstallBlasKernels } from '../src/blas-kernels';
import { type Blas, loadBlas } from '../src/blas-library';
import { setupWasmBackend, type WasmInfo } from '../src/wasm-node';

/** The two engines the benchmarks compare, in one process. */
export const ENGINES = ['wasm', 'wasm+BLAS'] as const;

/** Starts wasm and loads the BLAS (throwing when there is none: nothing to compare). */
export async function startWasmBlas(): Promise<{
  info: WasmInfo;
  blas: Blas;
  use: (engine: (typeof ENGINES)[number]) => void;
}> {
  const info = await setupWasmBackend();
  const load = loadBlas({ threads: info.threads });
  if (!load.blas) throw new Error(`no BLAS to benchmark: ${load.reason}`);
  const blas = load.blas;
  const use = (engine: (typeof ENGINES)[number]) => {
    if (engine === 'wasm') uninstallBlasKernels('wasm');
    else installBlasKernels('wasm', blas.sgemm);
  };
  return { info, blas, use };
}

/**
 * The environment for the PyTorch side: Debian's torch does its matMuls through the same OpenBLAS
 * 0.3.21, which without OPENBLAS_CORETYPE runs its Prescott kernels on this CPU. For a fair
 * baseline it gets the core type stnas chose for itself.
 */
export function torchEnv(blas: Blas): NodeJS.ProcessEnv {
  const env = { ...process.env };
  const core = /OPENBLAS_CORETYPE=(\w+)/.exec(blas.note ?? '')?.[1];
  if (core && !env.OPENBLAS_CORETYPE) env.OPENBLAS_CORETYPE = core;
  return env;
}

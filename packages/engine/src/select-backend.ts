import os from 'node:os';
import { installBlasKernels, uninstallBlasKernels } from './blas-kernels';
import { type BlasInfo, loadBlas } from './blas-library';
import { setupWasmBackend } from './wasm-node';

/** Backend names `selectBackend` accepts. */
export type BackendRequest = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** One backend package `selectBackend` tried, and what happened. */
export interface BackendAttempt {
  /** The npm package tried. */
  package: string;
  /** Whether it loaded and became the active backend. */
  ok: boolean;
  /** One line saying why it was not used, when it was not. */
  reason?: string;
}

/** The backend `selectBackend` set, and why. */
export interface BackendSelection {
  /** The TF.js backend now active: `tensorflow` (tfjs-node or tfjs-node-gpu), `wasm` or `cpu`. */
  backend: 'tensorflow' | 'wasm' | 'cpu';
  /** The npm package that provides it. */
  package: string;
  /** Whether a GPU build (tfjs-node-gpu) is active. */
  gpu: boolean;
  /** SIMD in use (wasm only; native backends use the CPU's own vector units). */
  simd: boolean;
  /** Threads the backend computes with. */
  threads: number;
  /** Every package tried, in order. */
  attempts: BackendAttempt[];
  /** One sentence saying why this backend was chosen. */
  why: string;
  /** The BLAS that runs the backend's GEMM and TDNN kernels, or undefined (see `blasReason`). */
  blas?: BlasInfo;
  /** One line saying why no BLAS runs, when none does. */
  blasReason?: string;
}

/** Options for {@link selectBackend}. */
export interface SelectOptions {
  /**
   * `auto` (default): route the wasm and cpu backends' float32 matMuls and the TDNN kernels
   * through the machine's BLAS when one is found (`STNAS_BLAS=/path` picks the library,
   * `STNAS_BLAS=off` turns it off); `off`: the backends' own kernels.
   */
  blas?: 'auto' | 'off';
}

/** Raised when an explicitly requested backend cannot be loaded; its message is one line. */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
}

const NATIVE = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0]!.trim();
}

function isMissing(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

async function tryNative(pkg: (typeof NATIVE)[number]): Promise<BackendAttempt> {
  try {
    // A computed specifier keeps bundlers and type checkers from requiring the optional package.
    const spec: string = pkg;
    await import(spec);
    const tf = await import('@tensorflow/tfjs-core');
    if (!(await tf.setBackend('tensorflow'))) {
      return { package: pkg, ok: false, reason: `${pkg} loaded but the 'tensorflow' backend did not start` };
    }
    await tf.ready();
    return { package: pkg, ok: true };
  } catch (err) {
    const reason = isMissing(err)
      ? `${pkg} is not installed (install it with: npm install ${pkg})`
      : `${pkg} failed to load: ${firstLine(err)}`;
    return { package: pkg, ok: false, reason };
  }
}

/** BLAS info without the functions, for reports. */
function facts(b: BlasInfo): BlasInfo {
  const { library, vendor, config, threads, note } = b;
  return note ? { library, vendor, config, threads, note } : { library, vendor, config, threads };
}

/** Loads the BLAS (or not) and installs or removes its kernels for `backend`. */
function setupBlas(
  backend: 'wasm' | 'cpu',
  threads: number,
  options: SelectOptions,
): Pick<BackendSelection, 'blas' | 'blasReason'> {
  const load = loadBlas({ blas: options.blas ?? 'auto', threads });
  if (!load.blas) {
    uninstallBlasKernels(backend);
    return { blasReason: load.reason };
  }
  installBlasKernels(backend, load.blas.sgemm);
  return { blas: facts(load.blas) };
}

async function useCpu(): Promise<void> {
  await import('@tensorflow/tfjs-backend-cpu');
  const tf = await import('@tensorflow/tfjs-core');
  if (!(await tf.setBackend('cpu'))) throw new BackendUnavailableError('the cpu backend did not start');
  await tf.ready();
}

/**
 * Sets the TF.js backend and returns which one it set. `auto` tries tfjs-node-gpu, tfjs-node,
 * wasm, then cpu. The native packages are optional: they are loaded only when installed, and a
 * missing one is reported as one line in `attempts`, never thrown, unless it was asked for by name.
 * On wasm and cpu the machine's BLAS (OpenBLAS, MKL, BLIS, Accelerate) runs the float32 matMuls
 * and the TDNN kernels unless `options.blas` is `off`; a missing or broken library only sets
 * `blasReason`.
 */
export async function selectBackend(
  name: BackendRequest = 'auto',
  options: SelectOptions = {},
): Promise<BackendSelection> {
  // Gradients for every TF.js op: tfjs-core registers none in Node; the union package does.
  await import('@tensorflow/tfjs');
  const tf = await import('@tensorflow/tfjs-core');
  // PROD silences TF.js's console hint to install tfjs-node: doctor reports that in one line.
  tf.env().set('PROD', true);
  const attempts: BackendAttempt[] = [];
  const cores = os.availableParallelism();

  if (name === 'auto' || name === 'tensorflow') {
    for (const pkg of NATIVE) {
      const attempt = await tryNative(pkg);
      attempts.push(attempt);
      if (attempt.ok) {
        return {
          backend: 'tensorflow',
          package: pkg,
          gpu: pkg === '@tensorflow/tfjs-node-gpu',
          simd: true,
          threads: cores,
          attempts,
          why: `${pkg} is installed, and native TensorFlow is the fastest engine available`,
          blasReason: 'native TensorFlow runs its own GEMM',
        };
      }
    }
    if (name === 'tensorflow') {
      throw new BackendUnavailableError(
        'backend "tensorflow" needs @tensorflow/tfjs-node (CPU) or @tensorflow/tfjs-node-gpu (CUDA); ' +
          'install one with: npm install @tensorflow/tfjs-node',
      );
    }
  }

  if (name === 'auto' || name === 'wasm') {
    try {
      const info = await setupWasmBackend();
      attempts.push({ package: '@tensorflow/tfjs-backend-wasm', ok: true });
      // The BLAS gets as many threads as XNNPACK: the two never run at the same time.
      const blas = setupBlas('wasm', info.threads, options);
      return {
        backend: 'wasm',
        package: '@tensorflow/tfjs-backend-wasm',
        gpu: false,
        simd: info.simd,
        threads: info.threads,
        attempts,
        why:
          (name === 'wasm'
            ? 'requested with --backend wasm'
            : 'no native TensorFlow package is installed; wasm (XNNPACK) is the fastest CPU engine left') +
          (info.note ? `; ${info.note}` : ''),
        ...blas,
      };
    } catch (err) {
      const reason = `@tensorflow/tfjs-backend-wasm failed to start: ${firstLine(err)}`;
      attempts.push({ package: '@tensorflow/tfjs-backend-wasm', ok: false, reason });
      if (name === 'wasm') throw new BackendUnavailableError(reason);
    }
  }

  await useCpu();
  attempts.push({ package: '@tensorflow/tfjs-backend-cpu', ok: true });
  const blas = setupBlas('cpu', cores, options);
  return {
    backend: 'cpu',
    package: '@tensorflow/tfjs-backend-cpu',
    gpu: false,
    simd: false,
    threads: 1,
    attempts,
    why: name === 'cpu' ? 'requested with --backend cpu' : 'no faster backend could be loaded',
    ...blas,
  };
}

import {
  _FusedMatMul,
  BatchMatMul,
  getKernel,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  registerKernel,
  type TensorInfo,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import type { Sgemm } from './blas-library';
import { blasMatMul } from './blas-matmul';
import {
  blasTdnnForward,
  blasTdnnGradFilter,
  blasTdnnGradInput,
  TDNN_KERNELS,
  type TdnnAttrs,
} from './blas-tdnn';
import { cpuStore, type FloatStore, wasmStore } from './float-store';

/** Backends whose float32 storage the BLAS kernels can read. */
export type BlasBackendName = 'wasm' | 'cpu';

type Args = Parameters<KernelFunc>[0];

const originals = new Map<string, KernelConfig | null>();
const active = new Set<BlasBackendName>();

function storeFor(name: BlasBackendName, args: Args): FloatStore {
  const backend = args.backend as KernelBackend;
  return name === 'wasm' ? wasmStore(backend) : cpuStore(backend);
}

function replace(config: KernelConfig): void {
  const key = `${config.backendName}/${config.kernelName}`;
  const previous = getKernel(config.kernelName, config.backendName);
  if (!originals.has(key)) originals.set(key, previous ?? null);
  if (previous) unregisterKernel(config.kernelName, config.backendName);
  registerKernel(config);
}

function restore(kernelName: string, backendName: string): void {
  const key = `${backendName}/${kernelName}`;
  if (!originals.has(key)) return;
  if (getKernel(kernelName, backendName)) unregisterKernel(kernelName, backendName);
  const original = originals.get(key);
  if (original) registerKernel(original);
  originals.delete(key);
}

function matMulConfig(kernelName: string, backendName: BlasBackendName, sgemm: Sgemm): KernelConfig {
  const original = getKernel(kernelName, backendName);
  const kernelFunc = (args: Args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    const attrs = args.attrs as NamedAttrMap & { activation?: string; leakyreluAlpha?: number };
    const out =
      a && b
        ? blasMatMul(sgemm, storeFor(backendName, args), {
            a,
            b,
            transposeA: Boolean(attrs.transposeA),
            transposeB: Boolean(attrs.transposeB),
            bias: bias ?? null,
            activation: attrs.activation,
            preluActivationWeights: preluActivationWeights ?? null,
            leakyreluAlpha: attrs.leakyreluAlpha,
          })
        : undefined;
    if (out) return out;
    if (!original)
      throw new Error(
        `${kernelName}: the BLAS kernel cannot take these inputs and ${backendName} has no kernel of its own`,
      );
    return original.kernelFunc(args);
  };
  return {
    kernelName,
    backendName,
    kernelFunc: kernelFunc as KernelFunc,
    ...(original?.setupFunc ? { setupFunc: original.setupFunc } : {}),
    ...(original?.disposeFunc ? { disposeFunc: original.disposeFunc } : {}),
  };
}

function tdnnAttrs(attrs: NamedAttrMap): TdnnAttrs {
  return {
    halfContext: Number(attrs.halfContext),
    stride: Number(attrs.stride ?? 1),
    dilation: Number(attrs.dilation ?? 1),
  };
}

function unsupported(kernel: string): never {
  throw new Error(`${kernel}: inputs must be float32 tensors on the active backend`);
}

function tdnnConfigs(backendName: BlasBackendName, sgemm: Sgemm): KernelConfig[] {
  const forward = (args: Args) => {
    const { x, w, b } = args.inputs as Record<string, TensorInfo>;
    const activation = args.attrs?.activation === 'linear' ? 'linear' : 'relu';
    return (
      blasTdnnForward(sgemm, storeFor(backendName, args), x!, w!, b!, {
        ...tdnnAttrs(args.attrs ?? {}),
        activation,
      }) ?? unsupported(TDNN_KERNELS.forward)
    );
  };
  const gradInput = (args: Args) => {
    const { dz, w } = args.inputs as Record<string, TensorInfo>;
    const attrs = args.attrs ?? {};
    return (
      blasTdnnGradInput(sgemm, storeFor(backendName, args), dz!, w!, {
        ...tdnnAttrs(attrs),
        frames: Number(attrs.frames),
      }) ?? unsupported(TDNN_KERNELS.gradInput)
    );
  };
  const gradFilter = (args: Args) => {
    const { x, dz } = args.inputs as Record<string, TensorInfo>;
    return (
      blasTdnnGradFilter(sgemm, storeFor(backendName, args), x!, dz!, tdnnAttrs(args.attrs ?? {})) ??
      unsupported(TDNN_KERNELS.gradFilter)
    );
  };
  return [
    { kernelName: TDNN_KERNELS.forward, backendName, kernelFunc: forward as KernelFunc },
    { kernelName: TDNN_KERNELS.gradInput, backendName, kernelFunc: gradInput as KernelFunc },
    { kernelName: TDNN_KERNELS.gradFilter, backendName, kernelFunc: gradFilter as KernelFunc },
  ];
}

/**
 * Routes `backendName`'s float32 `BatchMatMul` and `_FusedMatMul` through `sgemm` (falling back
 * to the backend's own kernel for anything else) and registers the TDNN kernels. Call it after
 * the backend's kernels are registered (importing its package does that). Calling it again
 * replaces the previous `sgemm`.
 */
export function installBlasKernels(backendName: BlasBackendName, sgemm: Sgemm): void {
  if (active.has(backendName)) uninstallBlasKernels(backendName);
  for (const name of [BatchMatMul, _FusedMatMul]) {
    if (getKernel(name, backendName)) replace(matMulConfig(name, backendName, sgemm));
  }
  for (const config of tdnnConfigs(backendName, sgemm)) replace(config);
  active.add(backendName);
}

/** Puts `backendName`'s own matMul kernels back and removes the TDNN kernels. */
export function uninstallBlasKernels(backendName: BlasBackendName): void {
  for (const name of [BatchMatMul, _FusedMatMul, ...Object.values(TDNN_KERNELS)]) restore(name, backendName);
  active.delete(backendName);
}

/** Whether BLAS kernels are installed for `backendName`. */
export function hasBlasKernels(backendName: string): boolean {
  return active.has(backendName as BlasBackendName);
}

import { type KernelBackend, type TensorInfo, util } from '@tensorflow/tfjs-core';

/**
 * Float32 tensor storage of a backend as the BLAS kernels see it. On wasm every view is into the
 * wasm heap, which an allocation may grow (and replace), so a kernel allocates all its outputs
 * first and takes its views after, right before the synchronous BLAS calls.
 */
export interface FloatStore {
  /** Allocates an uninitialised float32 tensor. */
  alloc(shape: number[]): TensorInfo;
  /** A Float32Array over `t`'s values, valid until the next `alloc`; undefined if not float32 data. */
  view(t: TensorInfo): Float32Array | undefined;
  /** Releases a tensor `alloc` made that the kernel will not return. */
  free(t: TensorInfo): void;
}

interface WasmData {
  memoryOffset: number | null;
  dtype: string;
}
interface WasmLike {
  wasm: { HEAPU8: Uint8Array; wasmMemory?: { buffer: ArrayBufferLike } };
  dataIdMap: { get(id: object): WasmData | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}
interface CpuLike {
  data: { get(id: object): { values?: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/** The heap as it is now: the threaded build's shared Memory, else the module's current view. */
function heap(backend: WasmLike): ArrayBufferLike {
  return backend.wasm.wasmMemory?.buffer ?? backend.wasm.HEAPU8.buffer;
}

/** Storage of the `wasm` backend: tensors are byte offsets into the wasm Memory. */
export function wasmStore(kernelBackend: KernelBackend): FloatStore {
  const backend = kernelBackend as unknown as WasmLike;
  return {
    alloc: (shape) => backend.makeOutput(shape, 'float32'),
    free: (t) => kernelBackend.disposeData(t.dataId),
    view(t) {
      const data = backend.dataIdMap.get(t.dataId);
      if (data?.dtype !== 'float32' || data.memoryOffset == null) return undefined;
      return new Float32Array(heap(backend), data.memoryOffset, util.sizeFromShape(t.shape));
    },
  };
}

/** Storage of the `cpu` backend: each tensor owns a plain Float32Array. */
export function cpuStore(kernelBackend: KernelBackend): FloatStore {
  const backend = kernelBackend as unknown as CpuLike;
  return {
    alloc: (shape) => backend.makeTensorInfo(shape, 'float32', new Float32Array(util.sizeFromShape(shape))),
    free: (t) => kernelBackend.disposeData(t.dataId),
    view(t) {
      const values = backend.data.get(t.dataId)?.values;
      return values instanceof Float32Array && values.length >= util.sizeFromShape(t.shape)
        ? values
        : undefined;
    },
  };
}

export {
  type BlasBackendName,
  hasBlasKernels,
  installBlasKernels,
  uninstallBlasKernels,
} from './blas-kernels';
export {
  type Blas,
  type BlasInfo,
  type BlasLoad,
  type BlasOptions,
  type BlasVendor,
  blasCandidates,
  loadBlas,
  type Sgemm,
} from './blas-library';
export { blasMatMul, type FusedActivation, type MatMulCall } from './blas-matmul';
export { TDNN_KERNELS, type TdnnAttrs } from './blas-tdnn';
export { formatEngineFacts, missingBackends } from './engine-facts';
export {
  type BackendAttempt,
  type BackendRequest,
  type BackendSelection,
  BackendUnavailableError,
  type SelectOptions,
  selectBackend,
} from './select-backend';
export { setupWasmBackend, type WasmInfo, type WasmOptions, wasmBinaryDir } from './wasm-node';
export { MAX_WASM_THREADS, wasmThreadsProblem } from './wasm-threads';

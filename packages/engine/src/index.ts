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

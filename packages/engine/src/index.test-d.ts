// Pins the public signatures of @stnas/engine (src/index.ts): an accidental change to a parameter,
// a return type or a field fails `vitest` (typecheck). New exports and new fields do not.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { describe, expectTypeOf, it } from 'vitest';
import type { FloatStore } from './float-store';
import {
  type BackendAttempt,
  type BackendRequest,
  type BackendSelection,
  BackendUnavailableError,
  type Blas,
  type BlasBackendName,
  type BlasInfo,
  type BlasLoad,
  type BlasOptions,
  type BlasVendor,
  blasCandidates,
  blasMatMul,
  type FusedActivation,
  formatEngineFacts,
  hasBlasKernels,
  installBlasKernels,
  loadBlas,
  MAX_WASM_THREADS,
  type MatMulCall,
  missingBackends,
  type SelectOptions,
  type Sgemm,
  selectBackend,
  setupWasmBackend,
  TDNN_KERNELS,
  type TdnnAttrs,
  uninstallBlasKernels,
  type WasmInfo,
  type WasmOptions,
  wasmBinaryDir,
  wasmThreadsProblem,
} from './index';

describe('@stnas/engine public API', () => {
  it('BackendRequest', () => {
    expectTypeOf<BackendRequest>().toEqualTypeOf<'auto' | 'tensorflow' | 'wasm' | 'cpu'>();
  });
  it('BackendAttempt', () => {
    expectTypeOf<BackendAttempt['package']>().toEqualTypeOf<string>();
    expectTypeOf<BackendAttempt['ok']>().toEqualTypeOf<boolean>();
    expectTypeOf<BackendAttempt['reason']>().toEqualTypeOf<string | undefined>();
  });
  it('BackendSelection', () => {
    expectTypeOf<BackendSelection['backend']>().toEqualTypeOf<'tensorflow' | 'wasm' | 'cpu'>();
    expectTypeOf<BackendSelection['package']>().toEqualTypeOf<string>();
    expectTypeOf<BackendSelection['gpu']>().toEqualTypeOf<boolean>();
    expectTypeOf<BackendSelection['simd']>().toEqualTypeOf<boolean>();
    expectTypeOf<BackendSelection['threads']>().toEqualTypeOf<number>();
    expectTypeOf<BackendSelection['attempts']>().toEqualTypeOf<BackendAttempt[]>();
    expectTypeOf<BackendSelection['why']>().toEqualTypeOf<string>();
    // The BLAS it set up ({ library, vendor, config, threads }), or undefined with the reason.
    expectTypeOf<BackendSelection['blas']>().toEqualTypeOf<BlasInfo | undefined>();
    expectTypeOf<BackendSelection['blasReason']>().toEqualTypeOf<string | undefined>();
  });
  it('SelectOptions', () => {
    expectTypeOf<SelectOptions['blas']>().toEqualTypeOf<'auto' | 'off' | undefined>();
  });
  it('selectBackend', () => {
    expectTypeOf(selectBackend).toEqualTypeOf<
      (name?: BackendRequest, options?: SelectOptions) => Promise<BackendSelection>
    >();
  });
  it('BackendUnavailableError', () => {
    // Error's constructor overloads defeat constructorParameters: pin what a caller passes.
    expectTypeOf(BackendUnavailableError).toBeConstructibleWith('wasm cannot start');
    expectTypeOf<BackendUnavailableError>().toExtend<Error>();
    expectTypeOf<BackendUnavailableError['name']>().toEqualTypeOf<string>();
  });
  it('formatEngineFacts', () => {
    expectTypeOf(formatEngineFacts).toEqualTypeOf<(s: BackendSelection) => string[]>();
  });
  it('missingBackends', () => {
    expectTypeOf(missingBackends).toEqualTypeOf<(s: BackendSelection) => string[]>();
  });

  it('BlasVendor', () => {
    expectTypeOf<BlasVendor>().toEqualTypeOf<'openblas' | 'mkl' | 'blis' | 'accelerate' | 'cblas'>();
  });
  it('BlasInfo', () => {
    expectTypeOf<BlasInfo['library']>().toEqualTypeOf<string>();
    expectTypeOf<BlasInfo['vendor']>().toEqualTypeOf<BlasVendor>();
    expectTypeOf<BlasInfo['config']>().toEqualTypeOf<string>();
    expectTypeOf<BlasInfo['threads']>().toEqualTypeOf<number>();
    expectTypeOf<BlasInfo['note']>().toEqualTypeOf<string | undefined>();
  });
  it('Sgemm', () => {
    expectTypeOf<Sgemm>().toEqualTypeOf<
      (
        transA: boolean,
        transB: boolean,
        m: number,
        n: number,
        k: number,
        alpha: number,
        a: Float32Array,
        lda: number,
        b: Float32Array,
        ldb: number,
        beta: number,
        c: Float32Array,
        ldc: number,
      ) => void
    >();
  });
  it('Blas', () => {
    expectTypeOf<Blas>().toExtend<BlasInfo>();
    expectTypeOf<Blas['sgemm']>().toEqualTypeOf<Sgemm>();
    expectTypeOf<Blas['setThreads']>().toEqualTypeOf<(threads: number) => void>();
  });
  it('BlasLoad', () => {
    expectTypeOf<BlasLoad>().toEqualTypeOf<
      | { blas: Blas; reason?: undefined; tried: string[] }
      | { blas: undefined; reason: string; tried: string[] }
    >();
  });
  it('BlasOptions', () => {
    expectTypeOf<BlasOptions['blas']>().toEqualTypeOf<'auto' | 'off' | undefined>();
    expectTypeOf<BlasOptions['threads']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<BlasOptions['env']>().toEqualTypeOf<Record<string, string | undefined> | undefined>();
  });
  it('blasCandidates', () => {
    expectTypeOf(blasCandidates).toEqualTypeOf<(platform?: NodeJS.Platform, arch?: string) => string[]>();
  });
  it('loadBlas', () => {
    expectTypeOf(loadBlas).toEqualTypeOf<(options?: BlasOptions) => BlasLoad>();
  });

  it('BlasBackendName', () => {
    expectTypeOf<BlasBackendName>().toEqualTypeOf<'wasm' | 'cpu'>();
  });
  it('installBlasKernels', () => {
    expectTypeOf(installBlasKernels).toEqualTypeOf<(backendName: BlasBackendName, sgemm: Sgemm) => void>();
  });
  it('uninstallBlasKernels', () => {
    expectTypeOf(uninstallBlasKernels).toEqualTypeOf<(backendName: BlasBackendName) => void>();
  });
  it('hasBlasKernels', () => {
    expectTypeOf(hasBlasKernels).toEqualTypeOf<(backendName: string) => boolean>();
  });
  it('FusedActivation', () => {
    expectTypeOf<FusedActivation>().toEqualTypeOf<
      'linear' | 'relu' | 'relu6' | 'elu' | 'prelu' | 'leakyrelu' | 'sigmoid'
    >();
  });
  it('MatMulCall', () => {
    expectTypeOf<MatMulCall['a']>().toEqualTypeOf<TensorInfo>();
    expectTypeOf<MatMulCall['b']>().toEqualTypeOf<TensorInfo>();
    expectTypeOf<MatMulCall['transposeA']>().toEqualTypeOf<boolean>();
    expectTypeOf<MatMulCall['transposeB']>().toEqualTypeOf<boolean>();
    expectTypeOf<MatMulCall['bias']>().toEqualTypeOf<TensorInfo | null | undefined>();
    expectTypeOf<MatMulCall['activation']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<MatMulCall['preluActivationWeights']>().toEqualTypeOf<TensorInfo | null | undefined>();
    expectTypeOf<MatMulCall['leakyreluAlpha']>().toEqualTypeOf<number | undefined>();
  });
  it('blasMatMul', () => {
    expectTypeOf(blasMatMul).toEqualTypeOf<
      (sgemm: Sgemm, store: FloatStore, call: MatMulCall) => TensorInfo | undefined
    >();
  });
  it('TDNN_KERNELS', () => {
    expectTypeOf(TDNN_KERNELS).toEqualTypeOf<{
      readonly forward: 'StnasTdnnForward';
      readonly gradInput: 'StnasTdnnGradInput';
      readonly gradFilter: 'StnasTdnnGradFilter';
    }>();
  });
  it('TdnnAttrs', () => {
    expectTypeOf<TdnnAttrs['halfContext']>().toEqualTypeOf<number>();
    expectTypeOf<TdnnAttrs['stride']>().toEqualTypeOf<number>();
    expectTypeOf<TdnnAttrs['dilation']>().toEqualTypeOf<number>();
  });

  it('WasmInfo', () => {
    expectTypeOf<WasmInfo['simd']>().toEqualTypeOf<boolean>();
    expectTypeOf<WasmInfo['threads']>().toEqualTypeOf<number>();
    expectTypeOf<WasmInfo['wasmDir']>().toEqualTypeOf<string>();
    expectTypeOf<WasmInfo['note']>().toEqualTypeOf<string | undefined>();
  });
  it('WasmOptions', () => {
    expectTypeOf<WasmOptions['threads']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<WasmOptions['workerDir']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<WasmOptions['startTimeoutMs']>().toEqualTypeOf<number | undefined>();
  });
  it('setupWasmBackend', () => {
    expectTypeOf(setupWasmBackend).toEqualTypeOf<(options?: WasmOptions) => Promise<WasmInfo>>();
  });
  it('wasmBinaryDir', () => {
    expectTypeOf(wasmBinaryDir).toEqualTypeOf<() => string>();
  });
  it('MAX_WASM_THREADS', () => {
    expectTypeOf(MAX_WASM_THREADS).toEqualTypeOf<number>();
  });
  it('wasmThreadsProblem', () => {
    expectTypeOf(wasmThreadsProblem).toEqualTypeOf<() => string | undefined>();
  });
});

import { broadcast_util, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { Sgemm } from './blas-library';
import type { FloatStore } from './float-store';

/** The fused activations of TF.js's `_FusedMatMul` that the BLAS kernels apply. */
export type FusedActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'prelu' | 'leakyrelu' | 'sigmoid';

const ACTIVATIONS = new Set<string>(['linear', 'relu', 'relu6', 'elu', 'prelu', 'leakyrelu', 'sigmoid']);

/** Everything a (fused) batched matMul takes; see TF.js `BatchMatMul` and `_FusedMatMul`. */
export interface MatMulCall {
  a: TensorInfo;
  b: TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
  bias?: TensorInfo | null;
  activation?: string;
  preluActivationWeights?: TensorInfo | null;
  leakyreluAlpha?: number;
}

/** Maps a flat index over `outBatch` to the flat index of the (broadcast) `inBatch`. */
function batchIndex(outBatch: number[], inBatch: number[]): (i: number) => number {
  const size = util.sizeFromShape(inBatch);
  if (size === 1) return () => 0;
  if (util.arraysEqual(outBatch, inBatch)) return (i) => i;
  const lead = outBatch.length - inBatch.length;
  return (i) => {
    let rest = i;
    let index = 0;
    let stride = 1;
    for (let d = outBatch.length - 1; d >= 0; d--) {
      const coord = rest % outBatch[d]!;
      rest = Math.floor(rest / outBatch[d]!);
      if (d >= lead) {
        const dim = inBatch[d - lead]!;
        index += (dim === 1 ? 0 : coord) * stride;
        stride *= dim;
      }
    }
    return index;
  };
}

/** A per-column vector of length n from a bias/alpha tensor of size n or 1, or undefined. */
function columnVector(v: Float32Array, t: TensorInfo, n: number): Float32Array | undefined {
  const size = util.sizeFromShape(t.shape);
  if (size === n && t.shape.slice(0, -1).every((d) => d === 1)) return v;
  if (size === 1) return new Float32Array(n).fill(v[0]!);
  return undefined;
}

function activate(c: Float32Array, n: number, act: string, alpha: number, prelu?: Float32Array): void {
  const len = c.length;
  switch (act) {
    case 'relu':
      for (let i = 0; i < len; i++) if (!(c[i]! > 0)) c[i] = 0;
      return;
    case 'relu6':
      for (let i = 0; i < len; i++) c[i] = Math.min(Math.max(c[i]!, 0), 6);
      return;
    case 'elu':
      for (let i = 0; i < len; i++) if (c[i]! < 0) c[i] = Math.expm1(c[i]!);
      return;
    case 'leakyrelu':
      for (let i = 0; i < len; i++) if (c[i]! < 0) c[i] = c[i]! * alpha;
      return;
    case 'prelu':
      for (let i = 0; i < len; i++) if (c[i]! < 0) c[i] = c[i]! * prelu![i % n]!;
      return;
    case 'sigmoid':
      for (let i = 0; i < len; i++) c[i] = 1 / (1 + Math.exp(-c[i]!));
      return;
    default:
  }
}

/**
 * A batched matMul `op(a) op(b)` (+ bias, activation) as `cblas_sgemm` calls on `store`'s memory:
 * one GEMM when `b` has no batch (the batch folds into the rows), else one per output matrix.
 * Returns undefined for what it does not handle (non-float32 data, a bias or PReLU weights not
 * shaped [N] or scalar, unknown activations), so the caller can run the original kernel.
 */
export function blasMatMul(sgemm: Sgemm, store: FloatStore, call: MatMulCall): TensorInfo | undefined {
  const { a, b, transposeA, transposeB } = call;
  const act = call.activation ?? 'linear';
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || !ACTIVATIONS.has(act)) return undefined;
  if (a.shape.length < 2 || b.shape.length < 2) return undefined;
  const ar = a.shape.length;
  const br = b.shape.length;
  const m = transposeA ? a.shape[ar - 1]! : a.shape[ar - 2]!;
  const k = transposeA ? a.shape[ar - 2]! : a.shape[ar - 1]!;
  const kb = transposeB ? b.shape[br - 1]! : b.shape[br - 2]!;
  const n = transposeB ? b.shape[br - 2]! : b.shape[br - 1]!;
  if (k !== kb) {
    throw new Error(
      `Error in matMul: inner shapes (${k}) and (${kb}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
    );
  }
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const outBatch = broadcast_util.assertAndGetBroadcastShape(aBatch, bBatch);
  const batches = util.sizeFromShape(outBatch);
  const bias = call.bias ?? undefined;
  const prelu = act === 'prelu' ? (call.preluActivationWeights ?? undefined) : undefined;
  if (act === 'prelu' && !prelu) return undefined;
  if (bias && bias.dtype !== 'float32') return undefined;

  const out = store.alloc([...outBatch, m, n]);
  // Views only after the allocation: it may have grown the wasm heap.
  const av = store.view(a);
  const bv = store.view(b);
  const cv = store.view(out);
  const biasView = bias ? store.view(bias) : undefined;
  const preluView = prelu ? store.view(prelu) : undefined;
  const biasRow = bias && biasView ? columnVector(biasView, bias, n) : undefined;
  const preluRow = prelu && preluView ? columnVector(preluView, prelu, n) : undefined;
  if (!av || !bv || !cv || (bias && !biasRow) || (prelu && !preluRow)) {
    store.free(out);
    return undefined;
  }

  const rows = batches * m;
  if (biasRow) for (let r = 0; r < rows; r++) cv.set(biasRow, r * n);
  else if (k === 0) cv.fill(0);
  if (k > 0 && rows > 0 && n > 0) {
    const beta = biasRow ? 1 : 0;
    const lda = Math.max(1, transposeA ? m : k);
    const ldb = Math.max(1, transposeB ? k : n);
    const aIndex = batchIndex(outBatch, aBatch);
    const bIndex = batchIndex(outBatch, bBatch);
    const aSize = m * k;
    const bSize = k * n;
    const bShared = util.sizeFromShape(bBatch) === 1;
    if (bShared && !transposeA && util.sizeFromShape(aBatch) === batches) {
      sgemm(false, transposeB, rows, n, k, 1, av, lda, bv, ldb, beta, cv, n);
    } else {
      for (let i = 0; i < batches; i++) {
        sgemm(
          transposeA,
          transposeB,
          m,
          n,
          k,
          1,
          av.subarray(aIndex(i) * aSize),
          lda,
          bv.subarray(bIndex(i) * bSize),
          ldb,
          beta,
          cv.subarray(i * m * n),
          n,
        );
      }
    }
  }
  if (act !== 'linear') activate(cv, n, act, call.leakyreluAlpha ?? 0.2, preluRow);
  return out;
}

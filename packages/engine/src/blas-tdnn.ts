import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { Sgemm } from './blas-library';
import type { FloatStore } from './float-store';

/**
 * Kernel names of the TDNN (dilated, strided conv1d) that `@stnas/search-space`'s `tdnnRelu` runs
 * through `tf.engine().runKernel` when they are registered for the active backend.
 */
export const TDNN_KERNELS = {
  /** `{x [B,T,Din], w [K,Din,Dout], b [Dout]}` -> `act(conv1d(x, w) + b)` [B, ceil(T/S), Dout]. */
  forward: 'StnasTdnnForward',
  /** `{dz [B,T',Dout], w}` with attr `frames` -> dL/dx [B, frames, Din]. */
  gradInput: 'StnasTdnnGradInput',
  /** `{x, dz}` -> dL/dw [K, Din, Dout]. */
  gradFilter: 'StnasTdnnGradFilter',
} as const;

/**
 * Geometry attributes of the TDNN kernels: tap j of output frame t reads input frame
 * t*stride + (j - halfContext)*dilation, zero outside [0, T) (thu-spmi/ST-NAS `TDNN`: Conv1d with
 * padding C*D).
 */
export interface TdnnAttrs {
  halfContext: number;
  stride: number;
  dilation: number;
}

/**
 * One run of rows that a tap's GEMM covers: output frames [t0, t0 + rows) of utterance(s) starting
 * at output row `outRow`, reading input row `inRow` onwards with a stride of S frames.
 */
interface TapRun {
  tap: number;
  rows: number;
  inRow: number;
  outRow: number;
}

function outFrames(frames: number, stride: number): number {
  return frames === 0 ? 0 : Math.floor((frames - 1) / stride) + 1;
}

/**
 * The GEMMs of a TDNN: for tap j (shift s = (j - C)·D) and each utterance, the output frames t
 * whose input frame t·S + s lies in [0, frames). The centre tap of a batch whose frames divide by
 * S reads every utterance's rows in one evenly spaced run: one GEMM for the whole batch.
 */
function tapRuns(batch: number, frames: number, attrs: TdnnAttrs): TapRun[] {
  const { stride, dilation, halfContext } = attrs;
  const tOut = outFrames(frames, stride);
  const runs: TapRun[] = [];
  for (let tap = 0; tap < 2 * halfContext + 1; tap++) {
    const s = (tap - halfContext) * dilation;
    const t0 = Math.max(0, Math.ceil(-s / stride));
    const rows = Math.min(tOut - 1, Math.floor((frames - 1 - s) / stride)) - t0 + 1;
    if (rows <= 0) continue;
    if (s === 0 && rows === tOut && tOut * stride === frames) {
      runs.push({ tap, rows: batch * tOut, inRow: 0, outRow: 0 });
      continue;
    }
    for (let u = 0; u < batch; u++)
      runs.push({ tap, rows, inRow: u * frames + t0 * stride + s, outRow: u * tOut + t0 });
  }
  return runs;
}

/** Allocates the output, then takes every view (an allocation may grow the wasm heap). */
function withViews(
  store: FloatStore,
  shape: number[],
  inputs: TensorInfo[],
): [TensorInfo, Float32Array[]] | undefined {
  const out = store.alloc(shape);
  const views = [...inputs, out].map((t) => store.view(t));
  if (views.every((v): v is Float32Array => v !== undefined)) return [out, views];
  store.free(out);
  return undefined;
}

/**
 * Forward: z[t] = act(b + sum_j x[t·S + s_j] W_j), one GEMM per utterance and tap reading the input
 * at shifted rows (lda = S·Din picks every S-th frame) and accumulating with beta = 1: no unfolded
 * copy of the input.
 */
export function blasTdnnForward(
  sgemm: Sgemm,
  store: FloatStore,
  x: TensorInfo,
  w: TensorInfo,
  b: TensorInfo,
  attrs: TdnnAttrs & { activation: 'relu' | 'linear' },
): TensorInfo | undefined {
  const [batch, frames, din] = x.shape as [number, number, number];
  const dout = w.shape[2]!;
  const made = withViews(store, [batch, outFrames(frames, attrs.stride), dout], [x, w, b]);
  if (!made) return undefined;
  const [out, [xv, wv, bv, zv]] = made as [
    TensorInfo,
    [Float32Array, Float32Array, Float32Array, Float32Array],
  ];
  const bias = bv.subarray(0, dout);
  for (let r = 0; r < zv.length / dout; r++) zv.set(bias, r * dout);
  const lda = attrs.stride * din;
  for (const { tap, rows, inRow, outRow } of tapRuns(batch, frames, attrs)) {
    const wj = wv.subarray(tap * din * dout);
    sgemm(
      false,
      false,
      rows,
      dout,
      din,
      1,
      xv.subarray(inRow * din),
      lda,
      wj,
      dout,
      1,
      zv.subarray(outRow * dout),
      dout,
    );
  }
  if (attrs.activation === 'relu') {
    for (let i = 0; i < zv.length; i++) if (!(zv[i]! > 0)) zv[i] = 0;
  }
  return out;
}

/** dL/dx of the linear part: dx[t·S + s_j] += dz[t] W_jᵀ, one GEMM per utterance and tap. */
export function blasTdnnGradInput(
  sgemm: Sgemm,
  store: FloatStore,
  dz: TensorInfo,
  w: TensorInfo,
  attrs: TdnnAttrs & { frames: number },
): TensorInfo | undefined {
  const [batch, , dout] = dz.shape as [number, number, number];
  const din = w.shape[1]!;
  const made = withViews(store, [batch, attrs.frames, din], [dz, w]);
  if (!made) return undefined;
  const [out, [dzv, wv, dxv]] = made as [TensorInfo, [Float32Array, Float32Array, Float32Array]];
  dxv.fill(0);
  const ldc = attrs.stride * din;
  for (const { tap, rows, inRow, outRow } of tapRuns(batch, attrs.frames, attrs)) {
    const wj = wv.subarray(tap * din * dout);
    sgemm(
      false,
      true,
      rows,
      din,
      dout,
      1,
      dzv.subarray(outRow * dout),
      dout,
      wj,
      dout,
      1,
      dxv.subarray(inRow * din),
      ldc,
    );
  }
  return out;
}

/** dL/dW_j = sum over utterances of x_shiftedᵀ dz, one GEMM per utterance and tap. */
export function blasTdnnGradFilter(
  sgemm: Sgemm,
  store: FloatStore,
  x: TensorInfo,
  dz: TensorInfo,
  attrs: TdnnAttrs,
): TensorInfo | undefined {
  const [batch, frames, din] = x.shape as [number, number, number];
  const dout = dz.shape[2]!;
  const made = withViews(store, [2 * attrs.halfContext + 1, din, dout], [x, dz]);
  if (!made) return undefined;
  const [out, [xv, dzv, dwv]] = made as [TensorInfo, [Float32Array, Float32Array, Float32Array]];
  dwv.fill(0);
  const lda = attrs.stride * din;
  for (const { tap, rows, inRow, outRow } of tapRuns(batch, frames, attrs)) {
    const dwj = dwv.subarray(tap * din * dout);
    sgemm(
      true,
      false,
      din,
      dout,
      rows,
      1,
      xv.subarray(inRow * din),
      lda,
      dzv.subarray(outRow * dout),
      dout,
      1,
      dwj,
      dout,
    );
  }
  return out;
}

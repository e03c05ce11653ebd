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

/** Output frames t of tap shift `s` whose input frame t*S + s lies in [0, frames). */
function validRange(s: number, stride: number, frames: number, tOut: number): [number, number] {
  const lo = Math.max(0, Math.ceil(-s / stride));
  const hi = Math.min(tOut - 1, Math.floor((frames - 1 - s) / stride));
  return [lo, hi - lo + 1];
}

function outFrames(frames: number, stride: number): number {
  return frames === 0 ? 0 : Math.floor((frames - 1) / stride) + 1;
}

/**
 * One GEMM per utterance and tap, reading the input at shifted rows (lda = stride*Din picks every
 * S-th frame) and accumulating into the output with beta = 1: no unfolded copy of the input.
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
  const [taps, , dout] = w.shape as [number, number, number];
  const { stride, dilation, halfContext } = attrs;
  const tOut = outFrames(frames, stride);
  const out = store.alloc([batch, tOut, dout]);
  const xv = store.view(x);
  const wv = store.view(w);
  const bv = store.view(b);
  const zv = store.view(out);
  if (!xv || !wv || !bv || !zv) {
    store.free(out);
    return undefined;
  }
  const rows = batch * tOut;
  for (let r = 0; r < rows; r++) zv.set(bv.subarray(0, dout), r * dout);
  for (let j = 0; j < taps; j++) {
    const s = (j - halfContext) * dilation;
    const [t0, count] = validRange(s, stride, frames, tOut);
    if (count <= 0) continue;
    const wj = wv.subarray(j * din * dout);
    if (s === 0 && count === tOut && tOut * stride === frames) {
      // The centre tap reads every utterance's frames in one run of rows: one GEMM for the batch.
      sgemm(false, false, rows, dout, din, 1, xv, stride * din, wj, dout, 1, zv, dout);
      continue;
    }
    for (let u = 0; u < batch; u++) {
      const xRow = u * frames + t0 * stride + s;
      const zRow = u * tOut + t0;
      sgemm(
        false,
        false,
        count,
        dout,
        din,
        1,
        xv.subarray(xRow * din),
        stride * din,
        wj,
        dout,
        1,
        zv.subarray(zRow * dout),
        dout,
      );
    }
  }
  if (attrs.activation === 'relu') {
    for (let i = 0; i < zv.length; i++) if (!(zv[i]! > 0)) zv[i] = 0;
  }
  return out;
}

/** dL/dx of the linear part: dx[t*S + s_j] += dz[t] w_j^T, one GEMM per utterance and tap. */
export function blasTdnnGradInput(
  sgemm: Sgemm,
  store: FloatStore,
  dz: TensorInfo,
  w: TensorInfo,
  attrs: TdnnAttrs & { frames: number },
): TensorInfo | undefined {
  const [batch, tOut, dout] = dz.shape as [number, number, number];
  const [taps, din] = w.shape as [number, number, number];
  const { stride, dilation, halfContext, frames } = attrs;
  const out = store.alloc([batch, frames, din]);
  const dzv = store.view(dz);
  const wv = store.view(w);
  const dxv = store.view(out);
  if (!dzv || !wv || !dxv) {
    store.free(out);
    return undefined;
  }
  dxv.fill(0);
  for (let j = 0; j < taps; j++) {
    const s = (j - halfContext) * dilation;
    const [t0, count] = validRange(s, stride, frames, tOut);
    if (count <= 0) continue;
    const wj = wv.subarray(j * din * dout);
    if (s === 0 && count === tOut && tOut * stride === frames) {
      sgemm(false, true, batch * tOut, din, dout, 1, dzv, dout, wj, dout, 1, dxv, stride * din);
      continue;
    }
    for (let u = 0; u < batch; u++) {
      const dzRow = u * tOut + t0;
      const dxRow = u * frames + t0 * stride + s;
      sgemm(
        false,
        true,
        count,
        din,
        dout,
        1,
        dzv.subarray(dzRow * dout),
        dout,
        wj,
        dout,
        1,
        dxv.subarray(dxRow * din),
        stride * din,
      );
    }
  }
  return out;
}

/** dL/dw_j = sum over utterances of x_shifted^T dz, one GEMM per utterance and tap. */
export function blasTdnnGradFilter(
  sgemm: Sgemm,
  store: FloatStore,
  x: TensorInfo,
  dz: TensorInfo,
  attrs: TdnnAttrs,
): TensorInfo | undefined {
  const [batch, frames, din] = x.shape as [number, number, number];
  const [, tOut, dout] = dz.shape as [number, number, number];
  const { stride, dilation, halfContext } = attrs;
  const taps = 2 * halfContext + 1;
  const out = store.alloc([taps, din, dout]);
  const xv = store.view(x);
  const dzv = store.view(dz);
  const dwv = store.view(out);
  if (!xv || !dzv || !dwv) {
    store.free(out);
    return undefined;
  }
  dwv.fill(0);
  for (let j = 0; j < taps; j++) {
    const s = (j - halfContext) * dilation;
    const [t0, count] = validRange(s, stride, frames, tOut);
    if (count <= 0) continue;
    const dwj = dwv.subarray(j * din * dout);
    if (s === 0 && count === tOut && tOut * stride === frames) {
      sgemm(true, false, din, dout, batch * tOut, 1, xv, stride * din, dzv, dout, 1, dwj, dout);
      continue;
    }
    for (let u = 0; u < batch; u++) {
      const xRow = u * frames + t0 * stride + s;
      const dzRow = u * tOut + t0;
      sgemm(
        true,
        false,
        din,
        dout,
        count,
        1,
        xv.subarray(xRow * din),
        stride * din,
        dzv.subarray(dzRow * dout),
        dout,
        1,
        dwj,
        dout,
      );
    }
  }
  return out;
}

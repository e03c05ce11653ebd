import {
  add,
  addN,
  matMul,
  mul,
  pad,
  relu,
  reshape,
  slice,
  stack,
  step,
  stridedSlice,
  sum,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
  transpose,
  unstack,
} from '@tensorflow/tfjs-core';
import { customOp } from '../../src/custom-op';
import { stridedFrames } from '../../src/lengths';

/** Geometry of a TDNN kernel (thu-spmi/ST-NAS Edge.py `TDNN`: Conv1d with padding C*D). */
export interface TdnnGeometry {
  /** Half-context C: 2C+1 taps. */
  readonly halfContext: number;
  /** Stride S. */
  readonly stride: number;
  /** Dilation D. */
  readonly dilation: number;
}

/** Tap j of the padded input: frames j*D, j*D + S, ... as a [B*Tout, Din] matrix. */
function tap(xp: Tensor3D, j: number, g: TdnnGeometry, tOut: number): Tensor2D {
  const [b, , din] = xp.shape;
  const start = j * g.dilation;
  const t =
    g.stride === 1
      ? slice(xp, [0, start, 0], [b, tOut, din])
      : (stridedSlice(
          xp,
          [0, start, 0],
          [b, start + (tOut - 1) * g.stride + 1, din],
          [1, g.stride, 1],
        ) as Tensor3D);
  return reshape(t, [b * tOut, din]);
}

/**
 * The TDNN's linear part and ReLU, `relu(conv1d(x, w, stride S, dilation D, padding C*D) + b)`,
 * written as one plain matMul per tap accumulated (no transposed matMul, no conv kernel), with a
 * gradient that transposes explicitly. x is [B, T, Din] with padded frames already zero, w is
 * [2C+1, Din, Dout] (tap j reads frame t*S + (j - C)*D), b is [Dout]. Only the input, weights and
 * the output are kept for backward.
 */
export function tdnnRelu(x: Tensor3D, w: Tensor3D, b: Tensor1D, g: TdnnGeometry): Tensor3D {
  const [batch, frames, din] = x.shape;
  const [taps, wdin, dout] = w.shape;
  if (taps !== 2 * g.halfContext + 1 || wdin !== din || b.shape[0] !== dout) {
    throw new Error(
      `tdnnRelu: weights [${w.shape}] and bias [${b.shape}] do not fit input [${x.shape}] with half-context ${g.halfContext}; expected w [${2 * g.halfContext + 1}, ${din}, Dout] and b [Dout]`,
    );
  }
  const p = g.halfContext * g.dilation;
  const tOut = stridedFrames(frames, g.stride);
  return customOp<Tensor3D>([x, w, b], ([xIn, wIn, bIn], save) => {
    const xp = (
      p > 0
        ? pad(xIn! as Tensor3D, [
            [0, 0],
            [p, p],
            [0, 0],
          ])
        : xIn
    ) as Tensor3D;
    const ws = unstack(wIn!) as Tensor2D[];
    const parts = ws.map((wj, j) => matMul(tap(xp, j, g, tOut), wj));
    const y = relu(add(parts.length === 1 ? parts[0]! : addN(parts), bIn!)) as Tensor2D;
    const value = reshape(y, [batch, tOut, dout]) as Tensor3D;
    // Save only the inputs and the output: a saved intermediate would count as a leak in TF.js's
    // IS_TEST check, so the padded input is rebuilt in backward (one copy).
    save([xIn!, wIn!, value]);
    return {
      value,
      gradFunc: (dy, saved) => {
        const [xs, wsv, yv] = saved as [Tensor3D, Tensor3D, Tensor3D];
        const xps = (
          p > 0
            ? pad(xs, [
                [0, 0],
                [p, p],
                [0, 0],
              ])
            : xs
        ) as Tensor3D;
        const ys = reshape(yv, [batch * tOut, dout]);
        const dz = mul(reshape(dy, [batch * tOut, dout]), step(ys)) as Tensor2D;
        const db = sum(dz, 0);
        const dzT = transpose(dz);
        const wList = unstack(wsv) as Tensor2D[];
        // dW_j = tap_j^T dz, computed as (dz^T tap_j)^T so the big operand is transposed once.
        const dw = stack(wList.map((_, j) => transpose(matMul(dzT, tap(xps, j, g, tOut)))));
        let dx: Tensor3D;
        if (g.stride === 1) {
          // The transposed convolution is a convolution with the taps flipped: with dz padded by P
          // on both sides, dx[t] = sum_j dz_p[t + 2P - jD] W_j^T.
          const dzp = (
            p > 0
              ? pad(reshape(dz, [batch, tOut, dout]), [
                  [0, 0],
                  [p, p],
                  [0, 0],
                ])
              : reshape(dz, [batch, tOut, dout])
          ) as Tensor3D;
          const parts = wList.map((wj, j) => {
            const start = 2 * p - j * g.dilation;
            const s = reshape(slice(dzp, [0, start, 0], [batch, frames, dout]), [batch * frames, dout]);
            return matMul(s, transpose(wj));
          });
          dx = reshape(parts.length === 1 ? parts[0]! : addN(parts), [batch, frames, din]);
        } else {
          // Scatter each tap's gradient back to frames j*D + t*S of the padded input by interleaving
          // zeros (pad a new axis to S), then drop the padding.
          const padded = frames + 2 * p;
          const parts = wList.map((wj, j) => {
            const d = reshape(matMul(dz, transpose(wj)), [batch, tOut, 1, din]);
            let spread = reshape(
              pad(d, [
                [0, 0],
                [0, 0],
                [0, g.stride - 1],
                [0, 0],
              ]),
              [batch, tOut * g.stride, din],
            ) as Tensor3D;
            const start = j * g.dilation;
            const keep = Math.min(tOut * g.stride, padded - start);
            if (keep < tOut * g.stride) spread = slice(spread, [0, 0, 0], [batch, keep, din]);
            return pad(spread, [
              [0, 0],
              [start, padded - start - keep],
              [0, 0],
            ]);
          });
          const sumP = (parts.length === 1 ? parts[0]! : addN(parts)) as Tensor3D;
          dx = slice(sumP, [0, p, 0], [batch, frames, din]);
        }
        return [dx, dw, db];
      },
    };
  });
}

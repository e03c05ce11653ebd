import {
  add,
  addN,
  conv2d,
  fused,
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
  type Tensor4D,
  tensor2d,
  transpose,
  unstack,
} from '@tensorflow/tfjs-core';
import { customOp } from './custom-op';

const fusedConv2d = fused.conv2d;
import { stridedFrames } from './lengths';

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

/** The exchange matrix [K, K] (ones on the anti-diagonal): P @ A reverses A's rows. */
function exchange(k: number): Tensor2D {
  const e = new Float32Array(k * k);
  for (let i = 0; i < k; i++) e[i * k + (k - 1 - i)] = 1;
  return tensor2d(e, [k, k]);
}

/**
 * Stride-1 TDNN with ReLU, built from kernels that run natively on the wasm backend and copy
 * nothing in JavaScript (Slice, Unpack, Concat and StridedSlice copy through JS there and took
 * more time than the matMuls; docs/benchmarks.md, "where the supernet step time goes"). Forward:
 * one fused dilated conv2d with bias and ReLU. dx: the same conv2d over dz with the taps reversed
 * and transposed (the transposed convolution of a stride-1 convolution). dW_j = Xpad^T shift_j(dz),
 * where the shift by j*D rows is a zero pad of the flattened, time-padded dz, so every tap is a
 * plain matMul on padded copies and no tap is ever sliced out.
 */
function tdnnReluStride1(x: Tensor3D, w: Tensor3D, b: Tensor1D, g: TdnnGeometry): Tensor3D {
  const [batch, frames, din] = x.shape;
  const [taps, , dout] = w.shape;
  const d = g.dilation;
  const p = g.halfContext * d;
  return customOp<Tensor3D>([x, w, b], ([xIn, wIn, bIn], save) => {
    const y = fusedConv2d({
      x: reshape(xIn!, [batch, 1, frames, din]) as Tensor4D,
      filter: reshape(wIn!, [1, taps, din, dout]) as Tensor4D,
      strides: 1,
      pad: 'same',
      dilations: [1, d],
      bias: bIn!,
      activation: 'relu',
    });
    const value = reshape(y, [batch, frames, dout]) as Tensor3D;
    save([xIn!, wIn!, value]);
    return {
      value,
      gradFunc: (dy, saved) => {
        const [xs, ws, ys] = saved as [Tensor3D, Tensor3D, Tensor3D];
        const dz = mul(dy, step(ys)) as Tensor3D;
        const db = sum(reshape(dz, [batch * frames, dout]), 0);
        // Filter of the transposed convolution: tap i is W_{K-1-i}^T (reverse taps with a tiny
        // matMul by the exchange matrix; the Reverse kernel is slower).
        const wt = reshape(transpose(ws, [0, 2, 1]), [taps, dout * din]) as Tensor2D;
        const wFlip = taps === 1 ? wt : matMul(exchange(taps), wt);
        const dx = conv2d(
          reshape(dz, [batch, 1, frames, dout]) as Tensor4D,
          reshape(wFlip, [1, taps, dout, din]) as Tensor4D,
          1,
          'same',
          'NHWC',
          [1, d],
        );
        // Rows r = b*(T+2P) + t of the time-padded input; 2P zero rows more at the end, so each
        // shifted dz below has the same row count.
        const tp = frames + 2 * p;
        const rows = batch * tp;
        const xPad =
          p > 0
            ? pad(
                reshape(
                  pad(xs, [
                    [0, 0],
                    [p, p],
                    [0, 0],
                  ]),
                  [rows, din],
                ),
                [
                  [0, 2 * p],
                  [0, 0],
                ],
              )
            : reshape(xs, [rows, din]);
        const xT = transpose(xPad as Tensor2D);
        // dz padded to T+2P frames per utterance (zeros after its T frames), flattened.
        const dzRows =
          p > 0
            ? reshape(
                pad(dz, [
                  [0, 0],
                  [0, 2 * p],
                  [0, 0],
                ]),
                [rows, dout],
              )
            : reshape(dz, [rows, dout]);
        const dws: Tensor2D[] = [];
        for (let j = 0; j < taps; j++) {
          // sum_r Xpad[r] dz[r - jD] = sum_{b,t} xpad[b, t + jD] dz[b, t] = tap_j^T dz.
          const shifted =
            p > 0
              ? pad(dzRows as Tensor2D, [
                  [j * d, 2 * p - j * d],
                  [0, 0],
                ])
              : dzRows;
          dws.push(matMul(xT, shifted as Tensor2D));
        }
        const dw = taps === 1 ? reshape(dws[0]!, [1, din, dout]) : stack(dws);
        return [reshape(dx, [batch, frames, din]), dw, db];
      },
    };
  });
}

/**
 * The TDNN's linear part and ReLU, `relu(conv1d(x, w, stride S, dilation D, padding C*D) + b)`,
 * with a gradient built from plain matMuls and native conv kernels (no transposed matMul, which
 * the wasm backend runs about 20x slower). x is [B, T, Din] with padded frames already zero, w is
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
  if (g.stride === 1) return tdnnReluStride1(x, w, b, g);
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
    let value: Tensor3D;
    if (g.dilation === 1) {
      // TF.js convolutions take a stride or a dilation, not both.
      const y = fusedConv2d({
        x: reshape(xp, [batch, 1, frames + 2 * p, din]) as Tensor4D,
        filter: reshape(wIn!, [1, taps, din, dout]) as Tensor4D,
        strides: [1, g.stride],
        pad: 'valid',
        bias: bIn!,
        activation: 'relu',
      });
      value = reshape(y, [batch, tOut, dout]) as Tensor3D;
    } else {
      const ws = unstack(wIn!) as Tensor2D[];
      const parts = ws.map((wj, j) => matMul(tap(xp, j, g, tOut), wj));
      const y = relu(add(parts.length === 1 ? parts[0]! : addN(parts), bIn!)) as Tensor2D;
      value = reshape(y, [batch, tOut, dout]) as Tensor3D;
    }
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

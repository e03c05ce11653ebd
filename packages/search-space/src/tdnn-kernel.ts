import {
  add,
  addN,
  conv2d,
  engine,
  fused,
  getBackend,
  getKernel,
  matMul,
  mul,
  type NamedAttrMap,
  type NamedTensorMap,
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
  zerosLike,
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

/**
 * Kernels an engine may register for the TDNN (\`@stnas/engine\` does, as \`TDNN_KERNELS\`, backed by
 * the machine's BLAS): forward {x, w, b} -> relu(conv + b); grad input {dz, w} (attr frames);
 * grad filter {x, dz}. Attrs halfContext, stride, dilation. Without them the TDNN is built from
 * stock TF.js kernels, so this package needs no engine.
 */
const NATIVE_TDNN = {
  forward: 'StnasTdnnForward',
  gradInput: 'StnasTdnnGradInput',
  gradFilter: 'StnasTdnnGradFilter',
} as const;

function runNative(
  kernel: string,
  inputs: Record<string, Tensor3D | Tensor1D>,
  attrs: object,
): Tensor3D | undefined {
  if (!getKernel(kernel, getBackend())) return undefined;
  return engine().runKernel(kernel, inputs as unknown as NamedTensorMap, attrs as NamedAttrMap) as Tensor3D;
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
 * dx of the stride-1 convolution z = conv1d(x, w, dilation d, padding C*d) given dz = dL/dz: the
 * same convolution over dz with the taps reversed and transposed. Built from kernels that run
 * natively on the wasm backend; there Slice, Unpack, Concat and StridedSlice copy through JS and
 * cost more than the matMuls (docs/benchmarks.md, "where the supernet step time goes").
 */
function convGradInput(ws: Tensor3D, dz: Tensor3D, d: number): Tensor3D {
  const [batch, frames, dout] = dz.shape;
  const [taps, din] = ws.shape;
  // Tap i of the transposed convolution is W_{K-1-i}^T (taps reversed by a tiny matMul with the
  // exchange matrix; the Reverse kernel is slower on wasm).
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
  return reshape(dx, [batch, frames, din]) as Tensor3D;
}

/**
 * dW of the stride-1 convolution above: dW_j = Xpad^T shift_j(dz), where the shift by j*d rows is
 * a zero pad of the flattened, time-padded dz, so each tap is one plain matMul and no tap is ever
 * sliced out of the input.
 */
function convGradFilter(xs: Tensor3D, dz: Tensor3D, taps: number, d: number): Tensor3D {
  const [batch, frames, din] = xs.shape;
  const dout = dz.shape[2];
  const p = ((taps - 1) / 2) * d;
  // Rows r = b*(T+2P) + t of the time-padded input, with 2P zero rows more at the end so every
  // shifted dz below has the same row count.
  const rows = batch * (frames + 2 * p);
  const padRows = (v: Tensor3D, before: number, after: number, cols: number) =>
    reshape(
      pad(v, [
        [0, 0],
        [before, after],
        [0, 0],
      ]),
      [rows, cols],
    ) as Tensor2D;
  const xT =
    p > 0
      ? transpose(
          pad(padRows(xs, p, p, din), [
            [0, 2 * p],
            [0, 0],
          ]),
        )
      : transpose(reshape(xs, [rows, din]) as Tensor2D);
  // dz padded to T+2P frames per utterance (zeros after its T frames), flattened.
  const dzRows = p > 0 ? padRows(dz, 0, 2 * p, dout) : (reshape(dz, [rows, dout]) as Tensor2D);
  const dws: Tensor2D[] = [];
  for (let j = 0; j < taps; j++) {
    // sum_r Xpad[r] dz[r - jd] = sum_{b,t} xpad[b, t + jd] dz[b, t] = tap_j^T dz.
    const shifted =
      p > 0
        ? pad(dzRows, [
            [j * d, 2 * p - j * d],
            [0, 0],
          ])
        : dzRows;
    dws.push(matMul(xT, shifted));
  }
  return (taps === 1 ? reshape(dws[0]!, [1, din, dout]) : stack(dws)) as Tensor3D;
}

/** Spreads a stride-S gradient [B, T', D] to full rate [B, T'*S, D]: S-1 zero frames after each. */
function spread(dz: Tensor3D, s: number): Tensor3D {
  if (s === 1) return dz;
  const [batch, tOut, dout] = dz.shape;
  return reshape(
    pad(reshape(dz, [batch, tOut, 1, dout]), [
      [0, 0],
      [0, 0],
      [0, s - 1],
      [0, 0],
    ]),
    [batch, tOut * s, dout],
  ) as Tensor3D;
}

/**
 * The TDNN's linear part and ReLU, `relu(conv1d(x, w, stride S, dilation D, padding C*D) + b)`:
 * one fused conv2d with bias and ReLU forward (per-tap matMuls when both S and D exceed 1, which
 * TF.js convolutions do not take together), and a gradient of native convolutions and plain
 * matMuls (no transposed matMul, which the wasm backend runs about 20x slower). A stride-S
 * gradient is the stride-1 gradient of dz spread to full rate with zeros. x is [B, T, Din] with
 * padded frames already zero, w is [2C+1, Din, Dout] (tap j reads frame t*S + (j - C)*D), b is
 * [Dout].
 *
 * The weight gradient sits on its own tape node whose only input is w (it adds zeros to the
 * output), so TF.js computes it only when w is differentiated: an architecture step, which
 * differentiates the logits alone, pays for dx but not for dW.
 */
export function tdnnRelu(x: Tensor3D, w: Tensor3D, b: Tensor1D, g: TdnnGeometry): Tensor3D {
  const [batch, frames, din] = x.shape;
  const [taps, wdin, dout] = w.shape;
  if (taps !== 2 * g.halfContext + 1 || wdin !== din || b.shape[0] !== dout) {
    throw new Error(
      `tdnnRelu: weights [${w.shape}] and bias [${b.shape}] do not fit input [${x.shape}] with half-context ${g.halfContext}; expected w [${2 * g.halfContext + 1}, ${din}, Dout] and b [Dout]`,
    );
  }
  const s = g.stride;
  const d = g.dilation;
  const p = g.halfContext * d;
  const tOut = stridedFrames(frames, s);
  const full = tOut * s;
  // z is every S-th frame of the stride-1 convolution of x zero-extended to tOut*S frames, so the
  // gradients below are the stride-1 ones of dz spread to full rate.
  const extend = (v: Tensor3D) =>
    full > frames
      ? pad(v, [
          [0, 0],
          [0, full - frames],
          [0, 0],
        ])
      : v;
  const attrs = { halfContext: g.halfContext, stride: s, dilation: d };
  const y = customOp<Tensor3D>([x, b], ([xIn, bIn], save) => {
    let value: Tensor3D;
    const native = runNative(
      NATIVE_TDNN.forward,
      { x: xIn as Tensor3D, w, b: bIn as Tensor1D },
      { ...attrs, activation: 'relu' },
    );
    if (native) {
      value = native;
    } else if (s === 1 || d === 1) {
      const xp =
        s === 1 || p === 0
          ? xIn!
          : pad(xIn!, [
              [0, 0],
              [p, p],
              [0, 0],
            ]);
      const conv = fusedConv2d({
        x: reshape(xp, [batch, 1, xp.shape[1]!, din]) as Tensor4D,
        filter: reshape(w, [1, taps, din, dout]) as Tensor4D,
        strides: [1, s],
        pad: s === 1 ? 'same' : 'valid',
        dilations: [1, d],
        bias: bIn!,
        activation: 'relu',
      });
      value = reshape(conv, [batch, tOut, dout]) as Tensor3D;
    } else {
      const xp = pad(xIn! as Tensor3D, [
        [0, 0],
        [p, p],
        [0, 0],
      ]);
      const ws = unstack(w) as Tensor2D[];
      const parts = ws.map((wj, j) => matMul(tap(xp, j, g, tOut), wj));
      value = reshape(relu(add(parts.length === 1 ? parts[0]! : addN(parts), bIn!)), [
        batch,
        tOut,
        dout,
      ]) as Tensor3D;
    }
    save([w, value]);
    return {
      value,
      gradFunc: (dy, saved) => {
        const [ws, ys] = saved as [Tensor3D, Tensor3D];
        const dz = mul(dy, step(ys)) as Tensor3D;
        const db = sum(reshape(dz, [batch * tOut, dout]), 0);
        const native = runNative(NATIVE_TDNN.gradInput, { dz, w: ws }, { ...attrs, frames });
        if (native) return [native, db];
        const dxFull = convGradInput(ws, spread(dz, s), d);
        const dx = full > frames ? slice(dxFull, [0, 0, 0], [batch, frames, din]) : dxFull;
        return [dx, db];
      },
    };
  });
  const wTerm = customOp<Tensor3D>([w], (_, save) => {
    save([x, y]);
    return {
      value: zerosLike(y),
      gradFunc: (dy, saved) => {
        const [xs, ys] = saved as [Tensor3D, Tensor3D];
        const dz = mul(dy, step(ys)) as Tensor3D;
        return (
          runNative(NATIVE_TDNN.gradFilter, { x: xs, dz }, attrs) ??
          convGradFilter(extend(xs), spread(dz, s), taps, d)
        );
      },
    };
  });
  return add(y, wTerm);
}

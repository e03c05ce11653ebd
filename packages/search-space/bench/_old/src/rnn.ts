import {
  add,
  concat,
  mul,
  type Rank,
  reshape,
  sigmoid,
  split,
  stack,
  sub,
  type Tensor2D,
  type Tensor3D,
  tanh,
  tensor2d,
  unstack,
  type Variable,
  zeros,
} from '@tensorflow/tfjs-core';
import { matMulPlain } from './mat-mul';

/** Weights of one RNN direction, in torch.nn.LSTM/GRU gate order but stored input-major. */
export interface RnnWeights {
  /** Input weights [I, G*H] (PyTorch `weight_ih_l0` transposed; G = 4 for LSTM, 3 for GRU). */
  readonly wIh: Variable<Rank.R2>;
  /** Recurrent weights [H, G*H] (PyTorch `weight_hh_l0` transposed). */
  readonly wHh: Variable<Rank.R2>;
  /** Input bias [G*H]. */
  readonly bIh: Variable<Rank.R1>;
  /** Recurrent bias [G*H]. */
  readonly bHh: Variable<Rank.R1>;
}

function stepMasks(lengths: readonly number[], frames: number): Tensor2D[] {
  // masks[t] is [B, 1]: 1 while t < length, so padded steps neither update the state nor emit.
  const out: Tensor2D[] = [];
  for (let t = 0; t < frames; t++) {
    out.push(
      tensor2d(
        lengths.map((len) => (t < len ? 1 : 0)),
        [lengths.length, 1],
      ),
    );
  }
  return out;
}

/**
 * One direction of an LSTM or GRU over [B, T, I] (torch.nn.LSTM / torch.nn.GRU equations, one
 * layer). Length-aware: a padded step keeps the state and outputs zero, so the reverse direction
 * starts each utterance at its own last frame and padding never leaks into any state.
 */
export function rnnDirection(
  kind: 'lstm' | 'gru',
  x: Tensor3D,
  lengths: readonly number[],
  w: RnnWeights,
  reverse: boolean,
): Tensor3D {
  const [batch, frames, idim] = x.shape;
  const h4 = w.wHh.shape[1];
  const hdim = w.wHh.shape[0];
  const xw = reshape(add(matMulPlain(reshape(x, [batch * frames, idim]), w.wIh), w.bIh), [batch, frames, h4]);
  const xs = unstack(xw, 1) as Tensor2D[];
  const masks = stepMasks(lengths, frames);
  let h: Tensor2D = zeros([batch, hdim]);
  let c: Tensor2D = zeros([batch, hdim]);
  const outs: Tensor2D[] = new Array(frames);
  for (let k = 0; k < frames; k++) {
    const t = reverse ? frames - 1 - k : k;
    const m = masks[t]!;
    const hw = add(matMulPlain(h, w.wHh), w.bHh) as Tensor2D;
    let hNew: Tensor2D;
    if (kind === 'lstm') {
      const [i, f, g, o] = split(add(xs[t]!, hw), 4, 1) as Tensor2D[];
      const cNew = add(mul(sigmoid(f!), c), mul(sigmoid(i!), tanh(g!))) as Tensor2D;
      hNew = mul(sigmoid(o!), tanh(cNew));
      c = add(c, mul(m, sub(cNew, c)));
    } else {
      const [xr, xz, xn] = split(xs[t]!, 3, 1) as Tensor2D[];
      const [hr, hz, hn] = split(hw, 3, 1) as Tensor2D[];
      const r = sigmoid(add(xr!, hr!));
      const z = sigmoid(add(xz!, hz!));
      const n = tanh(add(xn!, mul(r, hn!)));
      hNew = add(n, mul(z, sub(h, n))) as Tensor2D;
    }
    h = add(h, mul(m, sub(hNew, h)));
    outs[t] = mul(hNew, m);
  }
  return stack(outs, 1) as Tensor3D;
}

/** A uni- or bidirectional LSTM/GRU layer: the bidirectional output concatenates forward then backward. */
export function rnnLayer(
  kind: 'lstm' | 'gru',
  x: Tensor3D,
  lengths: readonly number[],
  forward: RnnWeights,
  backward?: RnnWeights,
): Tensor3D {
  const f = rnnDirection(kind, x, lengths, forward, false);
  if (!backward) return f;
  return concat([f, rnnDirection(kind, x, lengths, backward, true)], 2);
}

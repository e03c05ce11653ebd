// Kaldi's add-deltas (kaldi src/feat/feature-functions.cc DeltaFeatures): regression windows built
// by convolving [-w..w]/sum(j^2) with itself `order` times; frames past the edges repeat the edge.
import type { Matrix } from './types.ts';

const f = Math.fround;

/** Options for {@link addDeltas}. */
export interface DeltaOptions {
  /** Highest delta order (default 2: static, delta, delta-delta). */
  order?: number;
  /** Half-width of each regression window (default 2). */
  window?: number;
}

/** The float32 scale windows Kaldi uses for each order (scales[0] = [1]). */
export function deltaScales(order: number, window: number): Float32Array[] {
  const scales: Float32Array[] = [Float32Array.of(1)];
  for (let i = 1; i <= order; i++) {
    const prev = scales[i - 1]!;
    const prevOffset = (prev.length - 1) >> 1;
    const curOffset = prevOffset + window;
    const cur = new Float32Array(prev.length + 2 * window);
    let normalizer = 0;
    for (let j = -window; j <= window; j++) {
      normalizer = f(normalizer + j * j);
      for (let k = -prevOffset; k <= prevOffset; k++) {
        cur[j + k + curOffset] = f(cur[j + k + curOffset]! + f(j * prev[k + prevOffset]!));
      }
    }
    const alpha = f(1.0 / normalizer);
    for (let k = 0; k < cur.length; k++) cur[k] = f(cur[k]! * alpha);
    scales.push(cur);
  }
  return scales;
}

/** Appends delta features to `feats` (T x D), giving T x D*(order+1), as `add-deltas`. */
export function addDeltas(feats: Matrix, opts: DeltaOptions = {}): Matrix {
  const order = opts.order ?? 2;
  const window = opts.window ?? 2;
  if (!Number.isInteger(order) || order < 0 || order >= 1000)
    throw new RangeError(`addDeltas: order must be an integer in [0, 1000), got ${order}`);
  if (!Number.isInteger(window) || window <= 0 || window >= 1000)
    throw new RangeError(`addDeltas: window must be an integer in [1, 1000), got ${window}`);
  const { rows: T, cols: D } = feats;
  const outDim = D * (order + 1);
  const out = new Float32Array(T * outDim);
  const x = feats.data;
  const scales = deltaScales(order, window);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i <= order; i++) {
      const sc = scales[i]!;
      const maxOff = (sc.length - 1) >> 1;
      const ob = t * outDim + i * D;
      for (let j = -maxOff; j <= maxOff; j++) {
        const s = sc[j + maxOff]!;
        if (s === 0) continue;
        let tt = t + j;
        if (tt < 0) tt = 0;
        else if (tt >= T) tt = T - 1;
        const ib = tt * D;
        // Kaldi calls BLAS saxpy, which fuses the multiply-add: one float rounding per term (the
        // float product is exact in double). This reproduces add-deltas bit for bit.
        for (let d = 0; d < D; d++) out[ob + d] = f(out[ob + d]! + s * x[ib + d]!);
      }
    }
  }
  return { rows: T, cols: outDim, data: out };
}

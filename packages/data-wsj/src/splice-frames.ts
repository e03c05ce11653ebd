import type { Matrix } from './types.ts';

/**
 * Stacks each frame with `left` frames before and `right` after (edges repeat the first/last frame),
 * giving T x D*(left+1+right), exactly as kaldi's `splice-feats` (feature-functions.cc SpliceFrames).
 */
export function spliceFrames(feats: Matrix, left: number, right: number): Matrix {
  const { rows: T, cols: D } = feats;
  if (T === 0 || D === 0) throw new RangeError('spliceFrames: empty input');
  if (!Number.isInteger(left) || !Number.isInteger(right) || left < 0 || right < 0) {
    throw new RangeError(`spliceFrames: left and right must be non-negative integers, got ${left}, ${right}`);
  }
  const N = 1 + left + right;
  const out = new Float32Array(T * D * N);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < N; j++) {
      let t2 = t + j - left;
      if (t2 < 0) t2 = 0;
      if (t2 >= T) t2 = T - 1;
      out.set(feats.data.subarray(t2 * D, t2 * D + D), (t * N + j) * D);
    }
  }
  return { rows: T, cols: D * N, data: out };
}

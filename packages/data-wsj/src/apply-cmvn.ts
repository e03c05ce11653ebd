// Kaldi's apply-cmvn (kaldi src/transform/cmvn.cc ApplyCmvn), including its float/double mix:
// the per-dimension offset and scale are computed in double, stored as float, then applied in float.
import type { Matrix } from './types.ts';

const f = Math.fround;

/** Options for {@link applyCmvn}. */
export interface CmvnOptions {
  /** Also normalise variances (`--norm-vars=true`). Default false. */
  normVars?: boolean;
}

/**
 * Applies CMVN stats (a 1 or 2 x (D+1) matrix: row 0 sums with the count last, row 1 sums of squares)
 * to `feats` (T x D), returning a new float32 matrix exactly as `apply-cmvn [--norm-vars]`.
 */
export function applyCmvn(feats: Matrix, stats: Matrix, opts: CmvnOptions = {}): Matrix {
  const dim = stats.cols - 1;
  if (stats.rows < 1 || stats.rows > 2 || feats.cols !== dim) {
    throw new RangeError(
      `applyCmvn: dim mismatch: cmvn stats ${stats.rows}x${stats.cols}, feats ${feats.rows}x${feats.cols} (stats must be 2 x (D+1))`,
    );
  }
  const normVars = opts.normVars ?? false;
  if (stats.rows === 1 && normVars) {
    throw new RangeError('applyCmvn: normVars requested but the stats have no variance row');
  }
  const s = stats.data;
  const count = s[dim]!;
  if (!(count >= 1.0)) throw new RangeError(`applyCmvn: insufficient stats for CMVN: count = ${count}`);
  const out = new Float32Array(feats.rows * dim);
  const x = feats.data;
  if (!normVars) {
    // offset.AddVec(-1.0 / count, mean_stats): alpha is a float, the product is double.
    const alpha = f(-1.0 / count);
    const offset = new Float32Array(dim);
    for (let d = 0; d < dim; d++) offset[d] = f(alpha * s[d]!);
    for (let t = 0; t < feats.rows; t++) {
      const b = t * dim;
      for (let d = 0; d < dim; d++) out[b + d] = f(f(x[b + d]!) + offset[d]!);
    }
    return { rows: feats.rows, cols: dim, data: out };
  }
  const offset = new Float32Array(dim);
  const scale = new Float32Array(dim);
  for (let d = 0; d < dim; d++) {
    const mean = s[d]! / count;
    let v = s[stats.cols + d]! / count - mean * mean;
    if (v < 1e-20) v = 1e-20;
    const sc = 1.0 / Math.sqrt(v);
    if (!Number.isFinite(sc) || sc === 0)
      throw new RangeError(`applyCmvn: NaN or infinity in CMVN for dimension ${d}`);
    offset[d] = -(mean * sc);
    scale[d] = sc;
  }
  for (let t = 0; t < feats.rows; t++) {
    const b = t * dim;
    for (let d = 0; d < dim; d++) out[b + d] = f(f(f(x[b + d]!) * scale[d]!) + offset[d]!);
  }
  return { rows: feats.rows, cols: dim, data: out };
}

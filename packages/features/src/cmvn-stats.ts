import type { Matrix } from '@stnas/data-wsj';

/**
 * Kaldi's CMVN statistics (`compute-cmvn-stats`, transform/cmvn.cc): a 2 × (D+1) double matrix whose
 * row 0 holds per-dimension sums and the frame count last, and row 1 the sums of squares (last 0).
 * Pass one matrix, or all utterances of a speaker to accumulate them.
 */
export function computeCmvnStats(feats: Matrix | Iterable<Matrix>): Matrix {
  const list: Matrix[] = isMatrix(feats) ? [feats] : [...feats];
  if (list.length === 0) throw new Error('computeCmvnStats: no feature matrices given');
  const dim = list[0]!.cols;
  const stats = new Float64Array(2 * (dim + 1));
  list.forEach((m, u) => {
    if (m.cols !== dim) {
      throw new Error(`computeCmvnStats: matrix ${u} has ${m.cols} columns, expected ${dim} like matrix 0`);
    }
    accCmvnStats(stats, m, `matrix ${u}`);
  });
  return { rows: 2, cols: dim + 1, data: stats };
}

/**
 * Adds one utterance to running 2 x (D+1) stats (row-major `stats` of length 2(D+1)), exactly as
 * Kaldi's AccCmvnStats; `what` names the matrix in errors.
 */
export function accCmvnStats(stats: Float64Array, m: Matrix, what = 'matrix'): void {
  const dim = m.cols;
  if (stats.length !== 2 * (dim + 1))
    throw new Error(`accCmvnStats: ${what} has ${dim} columns but the stats are for ${stats.length / 2 - 1}`);
  if (m.data.length !== m.rows * m.cols) {
    throw new Error(`computeCmvnStats: ${what} holds ${m.data.length} values, not ${m.rows}x${m.cols}`);
  }
  const d = m.data;
  // Kaldi's AccCmvnStats squares a float feature in float before adding it to the double sum
  const sq = d instanceof Float32Array ? (v: number) => Math.fround(v * v) : (v: number) => v * v;
  for (let t = 0; t < m.rows; t++) {
    const row = t * dim;
    for (let c = 0; c < dim; c++) {
      const v = d[row + c]!;
      stats[c] = stats[c]! + v;
      stats[dim + 1 + c] = stats[dim + 1 + c]! + sq(v);
    }
  }
  stats[dim] = stats[dim]! + m.rows;
}

function isMatrix(x: unknown): x is Matrix {
  return typeof x === 'object' && x !== null && 'rows' in x && 'cols' in x && 'data' in x;
}

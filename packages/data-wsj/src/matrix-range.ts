import type { MatrixRange } from './rxspecifier.ts';
import type { Matrix } from './types.ts';

/**
 * Extracts an inclusive Kaldi range (`[r1:r2,c1:c2]` takes rows r1..r2 and columns c1..c2, both
 * ends included, as kaldi's ExtractObjectRange does). Out-of-range bounds throw, naming `where`.
 */
export function sliceMatrix(m: Matrix, range: MatrixRange, where: string): Matrix {
  const [r1, r2] = range.rows ?? [0, m.rows - 1];
  const [c1, c2] = range.cols ?? [0, m.cols - 1];
  if (range.rows && (r2 >= m.rows || r1 < 0)) {
    throw new RangeError(
      `${where}: row range [${r1}:${r2}] is outside the matrix's ${m.rows} rows (ranges are inclusive)`,
    );
  }
  if (range.cols && (c2 >= m.cols || c1 < 0)) {
    throw new RangeError(
      `${where}: column range [${c1}:${c2}] is outside the matrix's ${m.cols} columns (ranges are inclusive)`,
    );
  }
  const rows = Math.max(0, r2 - r1 + 1);
  const cols = Math.max(0, c2 - c1 + 1);
  const Arr = m.data instanceof Float64Array ? Float64Array : Float32Array;
  const data = new Arr(rows * cols);
  for (let r = 0; r < rows; r++) {
    const src = (r1 + r) * m.cols + c1;
    data.set(m.data.subarray(src, src + cols), r * cols);
  }
  return { rows, cols, data };
}

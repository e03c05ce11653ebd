// Value types shared by every reader and writer. Tensor-free on purpose: plain typed arrays, so the
// package works without TF.js and the trainer decides when to build tensors.

/** A row-major matrix: element (r, c) is `data[r * cols + c]`. Float32Array is Kaldi `FM`, Float64Array `DM`. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float32Array | Float64Array;
}

/** A real vector: Float32Array is Kaldi `FV`, Float64Array `DV`. */
export interface Vector {
  data: Float32Array | Float64Array;
}

/** Anything an ark entry can hold: a matrix, a real vector, or an int32 vector (alignments, labels). */
export type KaldiValue = Matrix | Vector | Int32Array;

/** One `key value` entry of an ark. */
export interface ArkEntry<V extends KaldiValue = KaldiValue> {
  key: string;
  value: V;
}

/** True when `v` is a {@link Matrix}. */
export function isMatrix(v: KaldiValue): v is Matrix {
  return !(v instanceof Int32Array) && 'rows' in v;
}

/** True when `v` is a real {@link Vector}. */
export function isVector(v: KaldiValue): v is Vector {
  return !(v instanceof Int32Array) && !('rows' in v);
}

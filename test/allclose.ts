import type { Tensor } from '@tensorflow/tfjs-core';

/** Values a `toBeAllclose` comparison accepts: tensors, typed arrays, nested arrays or numbers. */
export type Numeric = Tensor | ArrayLike<number> | number | readonly Numeric[];

export interface AllcloseOptions {
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  atol?: number;
}

function isTensor(x: unknown): x is Tensor {
  return typeof x === 'object' && x !== null && 'dataSync' in x && 'shape' in x;
}

/** Flattens any numeric input to a plain array of numbers, with its shape when known. */
export function flatten(x: Numeric | unknown): number[] {
  if (typeof x === 'number') return [x];
  if (isTensor(x)) return Array.from(x.dataSync() as ArrayLike<number>);
  if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>);
  if (Array.isArray(x)) return x.flatMap((v) => flatten(v));
  throw new TypeError(`toBeAllclose: cannot read numbers from ${String(x)}`);
}

/**
 * numpy.allclose semantics: |a - b| <= atol + rtol * |b| elementwise, with equal infinities and
 * NaN never close. Returns the first offending index, or -1 when all are close.
 */
export function firstMismatch(a: number[], b: number[], rtol: number, atol: number): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return i;
    if (Math.abs(x - y) > atol + rtol * Math.abs(y)) return i;
  }
  return -1;
}

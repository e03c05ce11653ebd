import { Tensor } from '@tensorflow/tfjs-core';
import type { Rng } from './types';

/** Values accepted where a small vector of numbers is expected. */
export type NumericVector = Tensor | ArrayLike<number>;

/** Reads a 1-D vector of finite numbers, naming the function and argument on bad input. */
export function readVector(v: NumericVector, fn: string, arg: string): Float64Array {
  let data: ArrayLike<number>;
  if (v instanceof Tensor) {
    if (v.rank !== 1) throw new Error(`${fn}: ${arg} must be rank 1, got shape [${v.shape.join(', ')}]`);
    data = v.dataSync() as ArrayLike<number>;
  } else if (v != null && typeof (v as ArrayLike<number>).length === 'number') {
    data = v;
  } else {
    throw new Error(`${fn}: ${arg} must be a Tensor1D or an array of numbers`);
  }
  if (data.length === 0) throw new Error(`${fn}: ${arg} is empty; expected at least one candidate`);
  const out = Float64Array.from(data);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) {
      throw new Error(`${fn}: ${arg}[${i}] is ${out[i]}; expected a finite number`);
    }
  }
  return out;
}

/** Softmax in float64, stable for large logits. */
export function softmax64(logits: ArrayLike<number>): Float64Array {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) m = Math.max(m, logits[i]!);
  const p = new Float64Array(logits.length);
  let s = 0;
  for (let i = 0; i < logits.length; i++) {
    p[i] = Math.exp(logits[i]! - m);
    s += p[i]!;
  }
  for (let i = 0; i < p.length; i++) p[i]! /= s;
  return p;
}

/** Index of the largest value (first on ties). */
export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

/** Draws an index from normalised probabilities by inverting the CDF. */
export function drawIndex(p: ArrayLike<number>, rng: Rng): number {
  const u = rng.next();
  let c = 0;
  for (let i = 0; i < p.length; i++) {
    c += p[i]!;
    if (u < c) return i;
  }
  // Rounding left the CDF short of 1: return the last candidate with non-zero probability.
  for (let i = p.length - 1; i >= 0; i--) if (p[i]! > 0) return i;
  return p.length - 1;
}

/**
 * Samples an index from a categorical distribution given as logits (default, p = softmax) or,
 * with `{ from: 'probs' }`, as non-negative weights (normalised here).
 */
export function sampleCategorical(
  probsOrLogits: NumericVector,
  rng: Rng,
  options: { from?: 'logits' | 'probs' } = {},
): number {
  const from = options.from ?? 'logits';
  const v = readVector(probsOrLogits, 'sampleCategorical', from);
  if (from === 'logits') return drawIndex(softmax64(v), rng);
  if (from !== 'probs')
    throw new Error(`sampleCategorical: options.from must be 'logits' or 'probs', got ${String(from)}`);
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    if (v[i]! < 0) throw new Error(`sampleCategorical: probs[${i}] is ${v[i]}; expected >= 0`);
    s += v[i]!;
  }
  if (!(s > 0)) throw new Error('sampleCategorical: probs sum to 0; expected a positive total');
  for (let i = 0; i < v.length; i++) v[i]! /= s;
  return drawIndex(v, rng);
}

/** Samples an index uniformly from [0, k) (the warmup / SPOS choice). */
export function sampleUniform(k: number, rng: Rng): number {
  if (!Number.isInteger(k) || k <= 0)
    throw new Error(`sampleUniform: k must be a positive integer, got ${String(k)}`);
  return rng.nextInt(k);
}

/** Standard Gumbel noise -log(-log u), u uniform in (0, 1), one value per element. */
export function sampleGumbel(n: number, rng: Rng): Float32Array {
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`sampleGumbel: n must be a non-negative integer, got ${String(n)}`);
  const g = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let u = rng.next();
    while (u === 0) u = rng.next();
    g[i] = -Math.log(-Math.log(u));
  }
  return g;
}

import { mul, type Tensor, tensor } from '@tensorflow/tfjs-core';

/** The random source dropout draws its seed from (an `Rng` of @stnas/st-estimator fits). */
export interface SeedSource {
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
}

/**
 * The inverted-dropout mask of `size` elements from `seed`: 1 / (1 - rate) with probability
 * 1 - rate, else 0. mulberry32 (T. Ettinger, public domain) in a plain loop: generating the mask
 * with `tf.randomUniform` (seedrandom's alea, element by element) took several times longer.
 */
export function dropoutMask(size: number, rate: number, seed: number): Float32Array {
  const mask = new Float32Array(size);
  const scale = 1 / (1 - rate);
  let s = seed | 0;
  for (let i = 0; i < size; i++) {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    if (((t ^ (t >>> 14)) >>> 0) / 4294967296 >= rate) mask[i] = scale;
  }
  return mask;
}

/**
 * Inverted dropout with rate p: each element is kept with probability 1 - p and scaled by
 * 1 / (1 - p). The mask is drawn in TypeScript from a seed taken from `rng`, so a seeded run
 * repeats exactly on every backend; the gradient is dy times the same mask.
 */
export function dropout<T extends Tensor>(x: T, rate: number, rng: SeedSource): T {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be in [0, 1), got ${rate}`);
  if (rate === 0) return x;
  const seed = rng.nextInt(2 ** 31 - 1);
  return mul(x, tensor(dropoutMask(x.size, rate, seed), x.shape)) as T;
}

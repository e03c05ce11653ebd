import { cast, div, greaterEqual, mul, randomUniform, type Tensor } from '@tensorflow/tfjs-core';

/** The random source dropout draws its seed from (an `Rng` of @stnas/st-estimator fits). */
export interface SeedSource {
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
}

/**
 * Inverted dropout with rate p: each element is kept with probability 1 - p and scaled by
 * 1 / (1 - p). The mask comes from `tf.randomUniform` seeded from `rng`, so a seeded run repeats
 * exactly on every backend.
 */
export function dropout<T extends Tensor>(x: T, rate: number, rng: SeedSource): T {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be in [0, 1), got ${rate}`);
  if (rate === 0) return x;
  const seed = rng.nextInt(2 ** 31 - 1);
  const keep = cast(greaterEqual(randomUniform(x.shape, 0, 1, 'float32', seed), rate), 'float32');
  return mul(x, div(keep, 1 - rate)) as T;
}

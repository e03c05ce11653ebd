import {
  add,
  argMax,
  customGrad,
  div,
  type GradSaveFunc,
  oneHot,
  softmax,
  type Tensor,
  tensor,
} from '@tensorflow/tfjs-core';
import { sampleGumbel } from './sample';
import type { Rng } from './types';

/** Options of `gumbelSoftmax`. */
export interface GumbelSoftmaxOptions {
  /** Temperature (> 0); tau -> 0 tends to one-hot. Default 1. */
  tau?: number;
  /** One-hot forward value with the soft gradient (GDAS). Default false (SNAS / GumbelDARTS). */
  hard?: boolean;
  /** Source of the Gumbel noise; required unless `noise` is given. */
  rng?: Rng;
  /** Pre-drawn standard Gumbel noise, one value per logit (e.g. an `EstimatorPlan.noise`). */
  noise?: Float32Array;
}

/** One-hot forward of argmax(y) with the identity gradient: the straight-through trick. */
const hardStraightThrough = customGrad((...args: (Tensor | GradSaveFunc)[]) => {
  const ySoft = args[0] as Tensor;
  const depth = ySoft.shape[ySoft.rank - 1]!;
  const value = oneHot(argMax(ySoft, -1), depth, 1, 0, 'float32');
  return { value, gradFunc: (dy: Tensor) => dy.clone() };
});

/**
 * Gumbel-softmax over the last axis: softmax((logits + G) / tau) with G ~ Gumbel(0, 1) drawn from
 * `rng` (Jang et al. 2017; SNAS). With `hard`, the forward value is the exact one-hot of the
 * argmax and the gradient is that of the soft sample (GDAS, Dong and Yang 2019).
 */
export function gumbelSoftmax<T extends Tensor>(logits: T, options: GumbelSoftmaxOptions): T {
  const fn = 'gumbelSoftmax';
  if (logits == null || typeof (logits as Tensor).dataId === 'undefined') {
    throw new Error(`${fn}: logits must be a Tensor`);
  }
  if (logits.rank < 1 || logits.size === 0) throw new Error(`${fn}: logits must be non-empty with rank >= 1`);
  if (logits.dtype !== 'float32') throw new Error(`${fn}: logits must be float32, got ${logits.dtype}`);
  const tau = options?.tau ?? 1;
  if (!(Number.isFinite(tau) && tau > 0))
    throw new Error(`${fn}: tau must be a finite number > 0, got ${tau}`);
  let noise = options?.noise;
  if (noise === undefined) {
    if (!options?.rng) throw new Error(`${fn}: pass options.rng (or options.noise) for the Gumbel noise`);
    noise = sampleGumbel(logits.size, options.rng);
  } else if (noise.length !== logits.size) {
    throw new Error(
      `${fn}: options.noise has ${noise.length} values; expected ${logits.size} (one per logit)`,
    );
  }
  const g = tensor(noise, logits.shape, 'float32');
  const ySoft = softmax(div(add(logits, g), tau));
  g.dispose();
  if (!options.hard) return ySoft as T;
  const y = hardStraightThrough(ySoft);
  ySoft.dispose();
  return y as T;
}

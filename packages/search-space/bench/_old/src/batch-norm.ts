import {
  add,
  div,
  mul,
  type Rank,
  reshape,
  rsqrt,
  scalar,
  square,
  sub,
  sum,
  type Tensor1D,
  type Tensor3D,
  tidy,
  type Variable,
} from '@tensorflow/tfjs-core';
import { lengthMask } from './mask';

/** Parameters and running statistics of a length-masked BatchNorm over the feature axis. */
export interface BatchNormState {
  /** Scale. */
  readonly gamma: Variable<Rank.R1>;
  /** Shift. */
  readonly beta: Variable<Rank.R1>;
  /** Running mean (not trained; updated in training mode). */
  readonly runningMean: Variable<Rank.R1>;
  /** Running unbiased variance (not trained; updated in training mode). */
  readonly runningVar: Variable<Rank.R1>;
}

/**
 * BatchNorm over the feature axis of [B, T, D] whose statistics count only frames t < length
 * (thu-spmi/ST-NAS modules/maskedbatchnorm1d.py, after thu-spmi/CAT): biased variance to normalise,
 * running statistics updated with momentum and the unbiased variance. Uses the running statistics
 * when not training or when fewer than two frames are valid.
 */
export function maskedBatchNorm(
  x: Tensor3D,
  lengths: readonly number[],
  state: BatchNormState,
  training: boolean,
  options: { eps?: number; momentum?: number } = {},
): Tensor3D {
  const eps = options.eps ?? 1e-5;
  const momentum = options.momentum ?? 0.1;
  const [batch, frames, d] = x.shape;
  const n = lengths.reduce((a, len) => a + Math.min(len, frames), 0);
  let mu: Tensor1D;
  let variance: Tensor1D;
  if (training && n > 1) {
    const m = lengthMask(lengths, frames);
    const x2 = reshape(mul(x, m), [batch * frames, d]);
    mu = div(sum(x2, 0), n);
    variance = sub(div(sum(square(x2), 0), n), square(mu));
    const [newMean, newVar] = tidy(() => [
      add(mul(mu, momentum), mul(state.runningMean, 1 - momentum)),
      add(mul(variance, (momentum * n) / (n - 1)), mul(state.runningVar, 1 - momentum)),
    ]);
    state.runningMean.assign(newMean as Tensor1D);
    state.runningVar.assign(newVar as Tensor1D);
    newMean!.dispose();
    newVar!.dispose();
  } else {
    mu = state.runningMean;
    variance = state.runningVar;
  }
  const xhat = mul(sub(x, mu), rsqrt(add(variance, scalar(eps))));
  return add(mul(xhat, state.gamma), state.beta) as Tensor3D;
}

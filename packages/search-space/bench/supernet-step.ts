// The supernet step the benchmarks time (supernet, step-profile, and @stnas/engine's
// supernet-blas): the ST-NAS MFRNet at a given width on a fixed random batch, with a stand-in loss
// (mean square of the log-softmax; the CTC of @stnas/ctc costs little beside the net).
import { createEstimator, createRng } from '@stnas/st-estimator';
import * as tf from '@tensorflow/tfjs-core';
import { buildSupernet, type SearchSpaceModel, WSJ_STNAS_CONFIG } from '../src/index';

/** The three steps of a search, as PyTorch's torch_stnas_step.py names them, and their mode. */
export const STEP_KINDS = [
  ['warmup', 'warmup'],
  ['weight', 'train'],
  ['arch', 'search'],
] as const;

/** How the supernet runs in a step: all candidates, sampled for the weights, or for the architecture. */
export type StepMode = (typeof STEP_KINDS)[number][1];

/** The benchmark supernet, its batch and what one step differentiates. */
export interface BenchSupernet {
  net: SearchSpaceModel;
  batch: number;
  frames: number;
  /** The stand-in loss of a step in `mode`, for `tf.variableGrads`. */
  loss: (mode: StepMode) => () => tf.Scalar;
  /** The variables a step in `mode` trains: the architecture's in a search step, else the weights. */
  variables: (mode: StepMode) => tf.Variable[];
}

/**
 * Builds WSJ_STNAS_CONFIG's supernet (6 blocks x 4 TDNN candidates) with `dim` units on the active
 * backend, and a random batch of `batch` x `frames` frames of 120-dim features.
 */
export function benchSupernet(dim: number, batch = 16, frames = 300): BenchSupernet {
  const config = {
    ...WSJ_STNAS_CONFIG,
    net_configs: { ...WSJ_STNAS_CONFIG.net_configs, odims: [dim], idim_sub: dim, odim_sub: dim },
  };
  const net = buildSupernet(config);
  const x = tf.randomNormal([batch, frames, 120]) as tf.Tensor3D;
  const lengths = new Array(batch).fill(frames);
  const rng = createRng(0);
  const st = createEstimator('st');
  const loss = (mode: StepMode) => () =>
    tf.mean(
      tf.square(tf.logSoftmax(net.apply(x, lengths, { mode, rng, estimator: st, training: true }).logits)),
    ) as tf.Scalar;
  const variables = (mode: StepMode) => (mode === 'search' ? net.archVariables() : net.weightVariables());
  return { net, batch, frames, loss, variables };
}

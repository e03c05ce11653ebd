import type { SearchSpaceModel } from '@stnas/search-space';
import { localExpectationGradient, type Rng } from '@stnas/st-estimator';
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/batch';
import type { StageObjective } from '../stages/stage-objective';
import type { Adam, AdamState } from './adam';
import type { SafeUpdateResult } from './safe-update';

/**
 * One architecture step with the local expectation gradient: samples a path from p, evaluates the
 * batch's loss on it and on every path that differs from it at one node (dropout off, no gradient
 * tape: one path in memory at a time), and applies Adam to the architecture logits with
 * dE/da_{n,j} = p_{n,j} (L_{n,j} - sum_i p_{n,i} L_{n,i}). Skipped, with nothing updated, when a
 * loss is not finite. Returns the sampled path's loss.
 */
export function legUpdate(
  model: SearchSpaceModel,
  batch: Batch,
  objective: StageObjective,
  rng: Rng,
  adam: Adam,
  state: AdamState,
  lr: number,
): SafeUpdateResult {
  const arch = model.archVariables();
  const lossOf = (choices: number[]) => {
    const l = objective.batchLoss(model, batch, { mode: 'eval', choices, training: false });
    try {
      return l.dataSync()[0]!;
    } finally {
      l.dispose();
    }
  };
  const r = localExpectationGradient(model.archProbs(), rng, lossOf);
  const bad = r.losses.flat().find((x) => !Number.isFinite(x));
  if (bad !== undefined) return { loss: r.loss, skipped: `a path's loss is ${bad}` };
  const grads: Record<string, tf.Tensor> = {};
  arch.forEach((v, n) => {
    grads[v.name] = tf.tensor1d(r.grads[n]!);
  });
  try {
    adam.update(arch, grads, state, lr);
  } finally {
    tf.dispose(Object.values(grads));
  }
  return { loss: r.loss };
}

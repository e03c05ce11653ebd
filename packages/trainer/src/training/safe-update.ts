import * as tf from '@tensorflow/tfjs-core';
import type { Adam, AdamState } from './adam';

/** The outcome of one guarded optimisation step. */
export interface SafeUpdateResult {
  /** The loss of the batch (may be non-finite when skipped). */
  loss: number;
  /** Why the update was skipped (a non-finite loss or gradient); undefined when applied. */
  skipped?: string;
}

/**
 * Computes `lossFn`'s gradient with respect to `variables` and applies one Adam update, unless the
 * loss or any gradient is NaN or infinite: then nothing is updated (weights and moments are left
 * exactly as they were) and the reason is returned, so a bad batch never corrupts a model.
 */
export function safeUpdate(
  lossFn: () => tf.Scalar,
  variables: readonly tf.Variable[],
  adam: Adam,
  state: AdamState,
  lr: number,
): SafeUpdateResult {
  const { value, grads } = tf.variableGrads(lossFn, variables as tf.Variable[]);
  try {
    const loss = value.dataSync()[0]!;
    if (!Number.isFinite(loss)) return { loss, skipped: `loss is ${loss}` };
    // One reduction over every gradient: finite iff no element is NaN or infinite.
    const norm = tf.tidy(() => tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))).dataSync()[0]!);
    if (!Number.isFinite(norm)) return { loss, skipped: `gradient norm is ${Math.sqrt(norm)}` };
    adam.update(variables, grads, state, lr);
    return { loss };
  } finally {
    value.dispose();
    tf.dispose(Object.values(grads));
  }
}

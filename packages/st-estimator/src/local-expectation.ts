import { drawIndex } from './sample';
import type { Rng } from './types';

/** One local expectation gradient: the sampled path, the losses it took, and the gradient. */
export interface LocalExpectationGradient {
  /** The sampled path: one candidate index per node. */
  choices: number[];
  /** The loss of the sampled path. */
  loss: number;
  /**
   * `losses[n][i]`: the loss of the sampled path with node n set to candidate i (the sampled
   * path's own loss at i = choices[n]).
   */
  losses: number[][];
  /** dE/da: the gradient in the architecture logits of each node, p = softmax(a). */
  grads: number[][];
}

function checkProbs(probs: readonly (readonly number[])[], fn: string): void {
  if (!Array.isArray(probs) || probs.length === 0) throw new Error(`${fn}: probs must hold one row per node`);
  probs.forEach((p, n) => {
    if (!Array.isArray(p) || p.length === 0) throw new Error(`${fn}: probs[${n}] is empty`);
    let s = 0;
    for (const [i, q] of p.entries()) {
      if (!(Number.isFinite(q) && q >= 0)) throw new Error(`${fn}: probs[${n}][${i}] is ${q}; expected >= 0`);
      s += q;
    }
    if (Math.abs(s - 1) > 1e-4) throw new Error(`${fn}: probs[${n}] sums to ${s}; expected 1`);
  });
}

/**
 * The local expectation gradient at a given path: for every node n, the loss of the path with node
 * n set to each of its candidates (the other nodes as in `choices`), and
 * dE/da_{n,j} = p_{n,j} (L_{n,j} - sum_i p_{n,i} L_{n,i}).
 * Calls `lossOf` 1 + sum_n (K_n - 1) times.
 */
export function localExpectationAt(
  probs: readonly (readonly number[])[],
  choices: readonly number[],
  lossOf: (choices: number[]) => number,
): LocalExpectationGradient {
  const fn = 'localExpectationAt';
  checkProbs(probs, fn);
  if (
    choices.length !== probs.length ||
    choices.some((c, n) => !(Number.isInteger(c) && c >= 0 && c < probs[n]!.length))
  )
    throw new Error(
      `${fn}: choices [${choices.join(', ')}] do not fit ${probs.length} nodes of [${probs.map((p) => p.length).join(', ')}] candidates`,
    );
  const path = [...choices];
  const loss = lossOf([...path]);
  const losses = probs.map((p, n) =>
    p.map((_, i) => {
      if (i === path[n]) return loss;
      const other = [...path];
      other[n] = i;
      return lossOf(other);
    }),
  );
  const grads = probs.map((p, n) => {
    const mean = p.reduce((s, q, i) => s + q * losses[n]![i]!, 0);
    return p.map((q, j) => q * (losses[n]![j]! - mean));
  });
  return { choices: path, loss, losses, grads };
}

/**
 * The local expectation gradient (Titsias and Lazaro-Gredilla, NeurIPS 2015) of the expected loss
 * E_{c ~ p}[L(c)] in the architecture logits: samples one path c ~ p (each node independently), then
 * sums exactly over the candidates of each node with the other nodes held at the sample
 * (`localExpectationAt`). Unbiased, like REINFORCE, but with per-node paired differences on the
 * same batch, so its variance is far lower; it needs no backward pass, only 1 + sum_n (K_n - 1)
 * forward passes of one path each (`lossOf`), so memory stays that of one path.
 */
export function localExpectationGradient(
  probs: readonly (readonly number[])[],
  rng: Rng,
  lossOf: (choices: number[]) => number,
): LocalExpectationGradient {
  checkProbs(probs, 'localExpectationGradient');
  if (rng == null || typeof rng.next !== 'function')
    throw new Error('localExpectationGradient: rng must be an Rng from createRng');
  return localExpectationAt(
    probs,
    probs.map((p) => drawIndex(p, rng)),
    lossOf,
  );
}

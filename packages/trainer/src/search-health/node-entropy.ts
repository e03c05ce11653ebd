// The entropy of a node's architecture distribution: ln K when p is uniform over K candidates, 0
// when one candidate holds all the mass. It says how far a search is from deciding, on one scale
// for nodes of any size once divided by ln K.

/** Shannon entropy of one distribution, in nats (0 log 0 = 0). */
export function entropy(p: readonly number[]): number {
  let h = 0;
  for (const x of p) if (x > 0) h -= x * Math.log(x);
  // Rounding in p can push a one-hot distribution a hair below zero.
  return Math.max(0, h);
}

/** The entropy of each node's p, in nats, in node order. */
export function nodeEntropies(probs: readonly (readonly number[])[]): number[] {
  return probs.map(entropy);
}

/** The index of the largest p (the first one on ties), as the reference's argmax derive takes. */
export function argmax(p: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
  return best;
}

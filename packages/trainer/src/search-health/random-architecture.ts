import { createRng } from '@stnas/st-estimator';

/**
 * One architecture drawn uniformly from the search space: an op per node, each candidate of the
 * node equally likely, from its own seeded generator (the control a searched architecture must
 * beat: random search, as in Li and Talwalkar, "Random Search and Reproducibility for NAS", 2019).
 */
export function randomArchitecture(candidates: readonly (readonly string[])[], seed: number): string[] {
  // An offset keeps this draw independent of the run's other streams seeded with the same number.
  const rng = createRng(seed + 0x5eed);
  return candidates.map((c, n) => {
    if (c.length === 0) throw new RangeError(`randomArchitecture: node ${n} has no candidates`);
    return c[rng.nextInt(c.length)]!;
  });
}

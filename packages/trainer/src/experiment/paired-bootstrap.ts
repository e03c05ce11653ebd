import { createRng } from '@stnas/st-estimator';

/** A paired bootstrap's answer: the difference of error rates (a - b) and its percentile interval. */
export interface BootstrapComparison {
  /** Error rate of a minus error rate of b on the full test set. */
  diff: number;
  /** The 2.5% and 97.5% percentiles of the resampled differences. */
  ci95: [number, number];
  /** Bisani and Ney's probability of improvement: the share of resamples where a has fewer errors. */
  pImprove: number;
}

/**
 * Paired bootstrap of two systems' error rates on the same utterances (Bisani & Ney, "Bootstrap
 * estimates for confidence intervals in ASR performance evaluation", ICASSP 2004): `samples` times,
 * draw the test utterances with replacement (seeded), and take the difference of the two pooled
 * error rates (sum of errors over sum of reference lengths) on the draw. `errorsA[u]`, `errorsB[u]`
 * and `refs[u]` belong to utterance u; errors may be fractional (means over seeds).
 */
export function pairedBootstrap(
  errorsA: readonly number[],
  errorsB: readonly number[],
  refs: readonly number[],
  o: { samples: number; seed: number },
): BootstrapComparison {
  const n = refs.length;
  if (n === 0 || errorsA.length !== n || errorsB.length !== n)
    throw new Error(
      `pairedBootstrap: errorsA (${errorsA.length}), errorsB (${errorsB.length}) and refs (${n}) must have one entry per utterance, at least one`,
    );
  const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
  const total = sum(refs);
  if (!(total > 0)) throw new Error('pairedBootstrap: the references hold no phones');
  const diff = (sum(errorsA) - sum(errorsB)) / total;
  const rng = createRng(o.seed);
  const diffs = new Float64Array(o.samples);
  let better = 0;
  for (let s = 0; s < o.samples; s++) {
    let da = 0;
    let r = 0;
    for (let k = 0; k < n; k++) {
      const u = rng.nextInt(n);
      da += errorsA[u]! - errorsB[u]!;
      r += refs[u]!;
    }
    diffs[s] = r > 0 ? da / r : 0;
    if (da < 0) better++;
  }
  diffs.sort();
  // The 25th and 975th of 1000 sorted differences: 2.5% of the draws lie outside on each side.
  const lo = diffs[Math.floor(0.025 * o.samples)]!;
  const hi = diffs[Math.max(0, Math.ceil(0.975 * o.samples) - 1)]!;
  return { diff, ci95: [lo, hi], pImprove: better / o.samples };
}

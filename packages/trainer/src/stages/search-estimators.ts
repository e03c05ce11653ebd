import type { EstimatorName } from '@stnas/st-estimator';

/**
 * An architecture gradient `stnas search` can use: an estimator of @stnas/st-estimator that mixes
 * candidate outputs inside the forward pass ('st' is ST-NAS's), or 'leg', the local expectation
 * gradient, which evaluates whole paths (`localExpectationGradient`).
 */
export type SearchEstimator = EstimatorName | 'leg';

/** Estimators `stnas search --estimator` accepts. */
export const SEARCH_ESTIMATORS: readonly SearchEstimator[] = ['st', 'gdas', 'snas', 'darts', 'spos', 'leg'];

/**
 * The demo searches with the local expectation gradient: on the demo's space the straight-through
 * gradient (ST-NAS's, `--estimator st`) does not follow the expected held-out loss at nodes 2 and 3,
 * measured against the exact gradient over all 16 paths in stnas and in the PyTorch replica, so its
 * p wanders there (0.5 to 0.75) and decides by chance; the local expectation gradient is unbiased,
 * a third to a quarter as noisy, and every seed decides (docs/results.md, "why ST does not decide").
 */
export const DEMO_ESTIMATOR: SearchEstimator = 'leg';

import type { EstimatorName } from '@stnas/st-estimator';

/**
 * An architecture gradient `stnas search` can use: an estimator of @stnas/st-estimator that mixes
 * candidate outputs inside the forward pass ('st' is ST-NAS's), or 'leg', the local expectation
 * gradient, which evaluates whole paths (`localExpectationGradient`).
 */
export type SearchEstimator = EstimatorName | 'leg';

/** Estimators `stnas search --estimator` accepts. */
export const SEARCH_ESTIMATORS: readonly SearchEstimator[] = ['st', 'gdas', 'snas', 'darts', 'spos', 'leg'];

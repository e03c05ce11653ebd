export { type BinaryGateSample, binaryGates } from './binary-gates';
export { createEstimator, type EstimatorOptions } from './create-estimator';
export { detached } from './detached';
export { type GumbelSoftmaxOptions, gumbelSoftmax } from './gumbel-softmax';
export {
  type LocalExpectationGradient,
  localExpectationAt,
  localExpectationGradient,
} from './local-expectation';
export { createRng } from './rng';
export { type NumericVector, sampleCategorical, sampleGumbel, sampleUniform } from './sample';
export { softmaxMix } from './softmax-mix';
export { straightThroughMix } from './straight-through-mix';
export { constantTemperature, exponentialTemperature, linearTemperature } from './temperature';
export type { Estimator, EstimatorName, EstimatorPlan, Rng, RngState, Schedule } from './types';

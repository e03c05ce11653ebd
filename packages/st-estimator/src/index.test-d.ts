// Pins the public signatures of @stnas/st-estimator (src/index.ts): an accidental change to a parameter,
// a return type or a field fails `vitest` (typecheck). New exports and new fields do not.
import type { Rank, Tensor, Tensor1D } from '@tensorflow/tfjs-core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type BinaryGateSample,
  binaryGates,
  constantTemperature,
  createEstimator,
  createRng,
  detached,
  type Estimator,
  type EstimatorName,
  type EstimatorOptions,
  type EstimatorPlan,
  exponentialTemperature,
  type GumbelSoftmaxOptions,
  gumbelSoftmax,
  type LocalExpectationGradient,
  linearTemperature,
  localExpectationAt,
  localExpectationGradient,
  type NumericVector,
  type Rng,
  type RngState,
  type Schedule,
  sampleCategorical,
  sampleGumbel,
  sampleUniform,
  softmaxMix,
  straightThroughMix,
} from './index';

describe('@stnas/st-estimator public API', () => {
  it('BinaryGateSample', () => {
    expectTypeOf<BinaryGateSample['index']>().toEqualTypeOf<number>();
    expectTypeOf<BinaryGateSample['indices']>().toEqualTypeOf<readonly number[]>();
  });
  it('binaryGates', () => {
    expectTypeOf(binaryGates).toEqualTypeOf<
      (
        archLogits: Tensor1D,
        rng: Rng,
        options?: { paths?: 1 | 2 | undefined },
      ) => BinaryGateSample & { gates: Tensor1D }
    >();
  });
  it('createEstimator', () => {
    expectTypeOf(createEstimator).toEqualTypeOf<
      (name: EstimatorName, options?: EstimatorOptions) => Estimator
    >();
  });
  it('EstimatorOptions', () => {
    expectTypeOf<EstimatorOptions['tau']>().toEqualTypeOf<number | Schedule | undefined>();
    expectTypeOf<EstimatorOptions['paths']>().toEqualTypeOf<1 | 2 | undefined>();
  });
  it('detached', () => {
    expectTypeOf(detached).toEqualTypeOf<
      <T extends Tensor>(fn: (x: Tensor<Rank>) => T, x: Tensor<Rank>) => T
    >();
  });
  it('GumbelSoftmaxOptions', () => {
    expectTypeOf<GumbelSoftmaxOptions['tau']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<GumbelSoftmaxOptions['hard']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<GumbelSoftmaxOptions['rng']>().toEqualTypeOf<Rng | undefined>();
    expectTypeOf<GumbelSoftmaxOptions['noise']>().toEqualTypeOf<Float32Array<ArrayBufferLike> | undefined>();
  });
  it('gumbelSoftmax', () => {
    expectTypeOf(gumbelSoftmax).toEqualTypeOf<
      <T extends Tensor>(logits: T, options: GumbelSoftmaxOptions) => T
    >();
  });
  it('LocalExpectationGradient', () => {
    expectTypeOf<LocalExpectationGradient>().toEqualTypeOf<{
      choices: number[];
      loss: number;
      losses: number[][];
      grads: number[][];
    }>();
  });
  it('localExpectationAt', () => {
    expectTypeOf(localExpectationAt).toEqualTypeOf<
      (
        probs: readonly (readonly number[])[],
        choices: readonly number[],
        lossOf: (choices: number[]) => number,
      ) => LocalExpectationGradient
    >();
  });
  it('localExpectationGradient', () => {
    expectTypeOf(localExpectationGradient).toEqualTypeOf<
      (
        probs: readonly (readonly number[])[],
        rng: Rng,
        lossOf: (choices: number[]) => number,
      ) => LocalExpectationGradient
    >();
  });
  it('createRng', () => {
    expectTypeOf(createRng).toEqualTypeOf<(seed: number) => Rng>();
  });
  it('NumericVector', () => {
    expectTypeOf<NumericVector>().toEqualTypeOf<Tensor<Rank> | ArrayLike<number>>();
  });
  it('sampleCategorical', () => {
    expectTypeOf(sampleCategorical).toEqualTypeOf<
      (probsOrLogits: NumericVector, rng: Rng, options?: { from?: 'logits' | 'probs' | undefined }) => number
    >();
  });
  it('sampleGumbel', () => {
    expectTypeOf(sampleGumbel).toEqualTypeOf<(n: number, rng: Rng) => Float32Array<ArrayBufferLike>>();
  });
  it('sampleUniform', () => {
    expectTypeOf(sampleUniform).toEqualTypeOf<(k: number, rng: Rng) => number>();
  });
  it('softmaxMix', () => {
    expectTypeOf(softmaxMix).toEqualTypeOf<
      (archLogits: Tensor1D, outputs: readonly (Tensor<Rank> | undefined)[]) => Tensor<Rank>
    >();
  });
  it('straightThroughMix', () => {
    expectTypeOf(straightThroughMix).toEqualTypeOf<
      (archLogits: Tensor1D, index: number, outputs: readonly (Tensor<Rank> | undefined)[]) => Tensor<Rank>
    >();
  });
  it('constantTemperature', () => {
    expectTypeOf(constantTemperature).toEqualTypeOf<(value: number) => Schedule>();
  });
  it('exponentialTemperature', () => {
    expectTypeOf(exponentialTemperature).toEqualTypeOf<
      (from: number, to: number, steps: number) => Schedule
    >();
  });
  it('linearTemperature', () => {
    expectTypeOf(linearTemperature).toEqualTypeOf<(from: number, to: number, steps: number) => Schedule>();
  });
  it('Estimator', () => {
    expectTypeOf<Estimator['name']>().toEqualTypeOf<EstimatorName>();
    expectTypeOf<Estimator['plan']>().toEqualTypeOf<
      (archLogits: Tensor1D, rng: Rng, step?: number | undefined) => EstimatorPlan
    >();
    expectTypeOf<Estimator['mix']>().toEqualTypeOf<
      (plan: EstimatorPlan, outputs: readonly (Tensor<Rank> | undefined)[]) => Tensor<Rank>
    >();
  });
  it('EstimatorName', () => {
    expectTypeOf<EstimatorName>().toEqualTypeOf<'st' | 'gdas' | 'snas' | 'darts' | 'spos' | 'proxyless'>();
  });
  it('EstimatorPlan', () => {
    expectTypeOf<EstimatorPlan['archLogits']>().toEqualTypeOf<Tensor1D>();
    expectTypeOf<EstimatorPlan['k']>().toEqualTypeOf<number>();
    expectTypeOf<EstimatorPlan['run']>().toEqualTypeOf<readonly number[]>();
    expectTypeOf<EstimatorPlan['train']>().toEqualTypeOf<readonly number[]>();
    expectTypeOf<EstimatorPlan['detach']>().toEqualTypeOf<readonly number[]>();
    expectTypeOf<EstimatorPlan['index']>().toEqualTypeOf<number>();
    expectTypeOf<EstimatorPlan['noise']>().toEqualTypeOf<Float32Array<ArrayBufferLike> | undefined>();
    expectTypeOf<EstimatorPlan['tau']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<EstimatorPlan['involved']>().toEqualTypeOf<readonly number[] | undefined>();
  });
  it('Rng', () => {
    expectTypeOf<Rng['next']>().toEqualTypeOf<() => number>();
    expectTypeOf<Rng['nextInt']>().toEqualTypeOf<(n: number) => number>();
    expectTypeOf<Rng['getState']>().toEqualTypeOf<() => RngState>();
    expectTypeOf<Rng['setState']>().toEqualTypeOf<(s: RngState) => void>();
  });
  it('RngState', () => {
    expectTypeOf<RngState['s']>().toEqualTypeOf<readonly [number, number, number, number]>();
  });
  it('Schedule', () => {
    expectTypeOf<Schedule>().toEqualTypeOf<(step: number) => number>();
  });
});

import type { Tensor, Tensor1D } from '@tensorflow/tfjs-core';

/** Names of the estimators `createEstimator` builds. */
export type EstimatorName = 'st' | 'gdas' | 'snas' | 'darts' | 'spos' | 'proxyless';

/**
 * What one search node must compute for one step: which candidates run forward, which run on the
 * gradient tape (their weights get gradients) and which run detached. Plans hold no tensors.
 */
export interface EstimatorPlan {
  /** The node's logits (usually a tf.Variable); not owned by the plan. */
  readonly archLogits: Tensor1D;
  /** Number of candidates. */
  readonly k: number;
  /** Candidates whose forward must run at all. */
  readonly run: readonly number[];
  /** Subset of `run` computed ON the tape (their weights get gradients). */
  readonly train: readonly number[];
  /** `run` minus `train`: compute OFF the tape with `detached()`. */
  readonly detach: readonly number[];
  /** The sampled candidate (argmax of the soft weights for soft estimators). */
  readonly index: number;
  /** Estimator-specific sample (e.g. Gumbel noise); plans hold no tensors. */
  readonly noise?: Float32Array;
  /** Temperature used by the Gumbel estimators at this step. */
  readonly tau?: number;
  /** Candidates whose logits receive a gradient (ProxylessNAS two-path mode); all K otherwise. */
  readonly involved?: readonly number[];
}

/** One interface over all estimators: plan what to compute, then mix the candidates' outputs. */
export interface Estimator {
  /** Which estimator this is. */
  readonly name: EstimatorName;
  /** Samples this step's plan from the node's logits; `step` drives the temperature schedule. */
  plan(archLogits: Tensor1D, rng: Rng, step?: number): EstimatorPlan;
  /** outputs[i] is candidate i's output for i in plan.run, undefined otherwise; same shapes. */
  mix(plan: EstimatorPlan, outputs: readonly (Tensor | undefined)[]): Tensor;
}

/** Saved state of an `Rng`: plain JSON-serialisable numbers (xoshiro128** words). */
export interface RngState {
  /** The four 32-bit unsigned state words. */
  readonly s: readonly [number, number, number, number];
}

/** A small seedable random generator whose state can be saved and restored for exact resume. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
  /** A copy of the current state. */
  getState(): RngState;
  /** Restores a state returned by `getState`. */
  setState(s: RngState): void;
}

/** A temperature (or any scalar) as a function of the step. */
export type Schedule = (step: number) => number;

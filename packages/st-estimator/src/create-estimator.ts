import { clone, mul, reshape, slice, type Tensor, type Tensor1D, tidy } from '@tensorflow/tfjs-core';
import { sampleBinaryGates } from './binary-gates';
import { checkIndex, checkLogits, checkOutputs } from './check-outputs';
import { gumbelSoftmax } from './gumbel-softmax';
import { argmax, drawIndex, readVector, sampleGumbel, sampleUniform, softmax64 } from './sample';
import { softmaxMix, weightedSum } from './softmax-mix';
import { straightThroughOver } from './straight-through-mix';
import type { Estimator, EstimatorName, EstimatorPlan, Rng, Schedule } from './types';

/** Options of `createEstimator`. */
export interface EstimatorOptions {
  /** Gumbel temperature for 'gdas' and 'snas': a constant or a schedule of the step. Default 1. */
  tau?: number | Schedule;
  /** ProxylessNAS paths: 1 (all K involved, as ST) or 2 (two sampled candidates). Default 2. */
  paths?: 1 | 2;
}

const NAMES: readonly EstimatorName[] = ['st', 'gdas', 'snas', 'darts', 'spos', 'proxyless'];

function range(k: number): number[] {
  return Array.from({ length: k }, (_, i) => i);
}

function checkPlan(plan: EstimatorPlan, name: EstimatorName): number {
  const fn = `${name}.mix`;
  if (plan == null || typeof plan !== 'object')
    throw new Error(`${fn}: plan must be the object returned by plan()`);
  const k = checkLogits(plan.archLogits, fn);
  if (plan.k !== k) throw new Error(`${fn}: plan.k is ${plan.k} but archLogits has ${k} entries`);
  checkIndex(plan.index, k, fn, 'plan.index');
  return k;
}

/**
 * Creates one of the estimators behind the common plan/mix interface: 'st' (ST-NAS), 'gdas',
 * 'snas', 'darts', 'spos' (uniform single path, no arch gradient) and 'proxyless'.
 */
export function createEstimator(name: EstimatorName, options: EstimatorOptions = {}): Estimator {
  if (!NAMES.includes(name)) {
    throw new Error(
      `createEstimator: unknown estimator '${String(name)}'; expected one of ${NAMES.join(', ')}`,
    );
  }
  const tauOpt = options.tau ?? 1;
  if (typeof tauOpt !== 'function' && !(Number.isFinite(tauOpt) && tauOpt > 0)) {
    throw new Error(
      `createEstimator: options.tau must be a number > 0 or a function of the step, got ${String(tauOpt)}`,
    );
  }
  const paths = options.paths ?? 2;
  if (paths !== 1 && paths !== 2)
    throw new Error(`createEstimator: options.paths must be 1 or 2, got ${String(paths)}`);
  const tauAt = (step: number): number => {
    const tau = typeof tauOpt === 'function' ? tauOpt(step) : tauOpt;
    if (!(Number.isFinite(tau) && tau > 0)) {
      throw new Error(
        `${name}.plan: the temperature at step ${step} is ${tau}; expected a finite number > 0`,
      );
    }
    return tau;
  };

  const plan = (archLogits: Tensor1D, rng: Rng, step = 0): EstimatorPlan => {
    const fn = `${name}.plan`;
    const k = checkLogits(archLogits, fn);
    if (rng == null || typeof rng.next !== 'function')
      throw new Error(`${fn}: rng must be an Rng from createRng`);
    if (!(Number.isFinite(step) && step >= 0))
      throw new Error(`${fn}: step must be a finite number >= 0, got ${step}`);
    const a = readVector(archLogits, fn, 'archLogits');
    const all = range(k);
    switch (name) {
      case 'st': {
        const index = drawIndex(softmax64(a), rng);
        return { archLogits, k, run: all, train: [index], detach: all.filter((i) => i !== index), index };
      }
      case 'gdas':
      case 'snas': {
        const tau = tauAt(step);
        const noise = sampleGumbel(k, rng);
        const index = argmax(a.map((v, i) => v + noise[i]!));
        const run = name === 'gdas' ? [index] : all;
        return { archLogits, k, run, train: run, detach: [], index, noise, tau };
      }
      case 'darts':
        return { archLogits, k, run: all, train: all, detach: [], index: argmax(a) };
      case 'spos': {
        const index = sampleUniform(k, rng);
        return { archLogits, k, run: [index], train: [index], detach: [], index };
      }
      case 'proxyless': {
        const { index, indices } = sampleBinaryGates(a, rng, paths, fn);
        return {
          archLogits,
          k,
          run: indices,
          train: [index],
          detach: indices.filter((i) => i !== index),
          index,
          involved: indices,
        };
      }
    }
  };

  const mix = (p: EstimatorPlan, outputs: readonly (Tensor | undefined)[]): Tensor => {
    const k = checkPlan(p, name);
    const fn = `${name}.mix`;
    checkOutputs(outputs, k, p.run, fn);
    switch (name) {
      case 'st':
        return straightThroughOver(p.archLogits, range(k), p.index, outputs, fn);
      case 'proxyless':
        return straightThroughOver(p.archLogits, p.involved ?? range(k), p.index, outputs, fn);
      case 'darts':
        return softmaxMix(p.archLogits, outputs);
      case 'spos':
        return clone(outputs[p.index] as Tensor);
      case 'gdas':
      case 'snas': {
        if (!(p.noise instanceof Float32Array) || p.noise.length !== k) {
          throw new Error(
            `${fn}: plan.noise must hold ${k} Gumbel samples; pass the plan from ${name}.plan()`,
          );
        }
        const tau = p.tau ?? 1;
        return tidy(() => {
          const w = gumbelSoftmax(p.archLogits, { tau, hard: name === 'gdas', noise: p.noise });
          // GDAS: the one-hot weight is exactly 1, so the value is outputs[index] and the logits
          // get the soft gradient through the one path (Dong and Yang 2019).
          if (name === 'gdas') return mul(reshape(slice(w, [p.index], [1]), []), outputs[p.index] as Tensor);
          return weightedSum(w, outputs, p.run);
        });
      }
    }
  };

  return { name, plan, mix };
}

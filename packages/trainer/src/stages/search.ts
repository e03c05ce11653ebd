import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildSupernet, deriveArchitecture, type StnasConfig } from '@stnas/search-space';
import { createEstimator, createRng, type EstimatorName } from '@stnas/st-estimator';
import { heldOutSplit, makeBatches } from '../data/data-set';
import { InputError } from '../errors';
import { ensureDir } from '../files';
import { createAdam, disposeAdamState } from '../training/adam';
import { readCheckpoint, writeFileAtomic } from '../training/checkpoint';
import { searchSchedule } from '../training/plateau-schedule';
import { safeUpdate } from '../training/safe-update';
import { assignVariables, bestCheckpointPath, type LoopResult, shuffledOrder } from '../training/train-loop';
import { augmentBatch } from '../training/training-options';
import { loadStageData, modelVariables, type StageInputs } from './stage-common';
import { setupStage } from './stage-objective';
import { runWithProgress } from './stage-runner';
import { warmupDir } from './warmup';

/** Estimators `stnas search --estimator` accepts. */
export const SEARCH_ESTIMATORS: readonly EstimatorName[] = ['st', 'gdas', 'snas', 'darts', 'spos'];

/** Options of the search stage beyond the shared ones. */
export interface SearchInputs extends StageInputs {
  estimator: EstimatorName;
  /** Fraction of the training set moved to the held-out split (reference `ratioTestShared` 0.1). */
  heldOutRatio: number;
  /** Adam learning rate of the architecture logits (reference 5e-3). */
  archLr: number;
}

/** The search stage's directory in a run directory. */
export const searchDir = (out: string) => path.join(out, 'search');

/** The derived architecture a search writes: the reference config with one op per node. */
export interface DerivedArchitecture {
  config: StnasConfig;
  /** The chosen op of each searchable node, in order. */
  ops: string[];
  /** p of every node when it was derived. */
  probs: number[][];
  estimator: EstimatorName;
}

/**
 * The search (NASTop.py, MODE=archsearch): each step first takes an architecture step on a
 * held-out batch (candidates planned by the estimator, e.g. ST: sample k ~ p, forward o_k, gradient
 * <dL/dy, o_i> to every logit; Adam on the logits only) and then a weight step on a train batch
 * (one path sampled from p; Adam on that path's weights). p of every node is logged at every step.
 * Starts from the warmup's best checkpoint; the dev loss uses the argmax architecture. `derived` is
 * undefined only when the run paused (`maxStepsThisRun`) before the search finished.
 */
export async function runSearch(
  i: SearchInputs,
): Promise<{ loop: LoopResult; derived: DerivedArchitecture | undefined }> {
  const warm = bestCheckpointPath(warmupDir(i.out));
  if (!existsSync(warm))
    throw new InputError(
      `search starts from the warmup's best checkpoint, but ${warm} does not exist (run 'stnas warmup' first)`,
    );
  const d = await loadStageData(i);
  const model = buildSupernet(i.config, { seed: i.seed });
  const variables = modelVariables(model);
  const wAdam = createAdam({ lr: i.lr });
  const aAdam = createAdam({ lr: i.archLr });
  const wOpt = { name: 'weights', adam: wAdam, state: wAdam.init() };
  const aOpt = { name: 'arch', adam: aAdam, state: aAdam.init() };
  try {
    const dir = ensureDir(searchDir(i.out));
    const ckptFile = path.join(dir, 'checkpoint.ckpt');
    if (!existsSync(ckptFile)) assignVariables(warm, readCheckpoint(warm).arrays, variables);
    const split = heldOutSplit(d.train.utts, i.heldOutRatio, 0, (n, seed) =>
      shuffledOrder(n, createRng(seed)),
    );
    const train = makeBatches(split.train, d.train.dim, i.batchSize);
    const held = makeBatches(split.heldOut, d.train.dim, i.batchSize);
    const dev = makeBatches(d.dev.utts, d.dev.dim, i.batchSize);
    const { config: training, objective, evaluate } = await setupStage(i, 'search', dir, d);
    const estimator = createEstimator(i.estimator);
    const weights = model.weightVariables();
    const arch = model.archVariables();
    if (arch.length === 0)
      throw new InputError('the config has no node with more than one candidate: nothing to search');
    const loop = await runWithProgress(i, {
      stage: 'search',
      dir,
      schedule: searchSchedule({ lr: i.lr, maxEpochs: i.maxEpochs }),
      batches: train.length,
      stepsPerEpoch: i.stepsPerEpoch,
      variables,
      optimizers: [wOpt, aOpt],
      checkpointEvery: i.checkpointEvery,
      trainStep(b, { rng, lr, step }) {
        const hb = held[rng.nextInt(held.length)]!;
        i.onBatch?.('heldOut', hb);
        const a = safeUpdate(
          () => objective.batchLoss(model, hb, { mode: 'search', rng, estimator, training: true, step }),
          arch,
          aAdam,
          aOpt.state,
          i.archLr,
        );
        const batch = augmentBatch(train[b]!, training.specAugment, i.seed, 'search', step);
        i.onBatch?.('train', batch);
        const w = safeUpdate(
          () => objective.batchLoss(model, batch, { mode: 'train', rng, training: true, step }),
          weights,
          wAdam,
          wOpt.state,
          lr,
        );
        const skipped = [
          a.skipped && `architecture step: ${a.skipped}`,
          w.skipped && `weight step: ${w.skipped}`,
        ]
          .filter(Boolean)
          .join('; ');
        return { loss: w.loss, frames: batch.frames + hb.frames, skipped: skipped || undefined };
      },
      evaluate: () => {
        for (const b of dev) i.onBatch?.('dev', b);
        return evaluate(model, dev, () => ({ mode: 'eval', argmax: true, training: false }));
      },
      stepLog: (step) => ({ step, p: model.archProbs().map((p) => p.map((x) => Number(x.toPrecision(6)))) }),
    });
    if (!loop.finished) return { loop, derived: undefined };
    // Derive from the best checkpoint (the reference's model.bestforretrain), not the last step.
    assignVariables(bestCheckpointPath(dir), readCheckpoint(bestCheckpointPath(dir)).arrays, variables);
    const config = deriveArchitecture(model);
    const derived: DerivedArchitecture = {
      config,
      ops: model.nodes().map((n) => n.candidates[n.best()]!.name),
      probs: model.archProbs(),
      estimator: i.estimator,
    };
    writeFileAtomic(path.join(dir, 'architecture.json'), `${JSON.stringify(derived, null, 2)}\n`);
    return { loop, derived };
  } finally {
    disposeAdamState(wOpt.state);
    disposeAdamState(aOpt.state);
    model.dispose();
  }
}

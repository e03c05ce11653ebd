import path from 'node:path';
import { buildSupernet } from '@stnas/search-space';
import { createRng } from '@stnas/st-estimator';
import { createAdam, disposeAdamState } from '../training/adam';
import { warmupSchedule } from '../training/plateau-schedule';
import { safeUpdate } from '../training/safe-update';
import type { LoopResult } from '../training/train-loop';
import { augmentBatch } from '../training/training-options';
import { checkSetFits, devBatches, loadStageData, modelVariables, type StageInputs } from './stage-common';
import { setupStage } from './stage-objective';
import { runWithProgress } from './stage-runner';

/** Options of the warmup stage beyond the shared ones. */
export interface WarmupInputs extends StageInputs {
  /** Epochs before the stop rule applies (reference 10). */
  minEpochs: number;
  /** Improvement of the dev loss that counts (reference 0.5). */
  minLossImprove: number;
}

/** The warmup stage's directory in a run directory. */
export const warmupDir = (out: string) => path.join(out, 'warmup');

/**
 * Warmup (thu-spmi/ST-NAS NASTop.py, MODE=warmup): at every step each node picks a candidate
 * uniformly and only that path's weights train, with CTC and Adam. The dev loss samples paths the
 * same way from a generator seeded per epoch, so it is reproducible on resume.
 */
export async function runWarmup(i: WarmupInputs): Promise<LoopResult> {
  const d = await loadStageData(i);
  const model = buildSupernet(i.config, { seed: i.seed });
  const adam = createAdam({ lr: i.lr });
  const opt = { name: 'weights', adam, state: adam.init() };
  try {
    checkSetFits(i, 'warmup', model, i.config, d.train, 'weights');
    const train = d.train.reader();
    const weights = model.weightVariables();
    const { config: training, objective, evaluate } = await setupStage(i, 'warmup', warmupDir(i.out), d);
    const schedule = warmupSchedule({
      lr: i.lr,
      minEpochs: i.minEpochs,
      minLossImprove: i.minLossImprove,
      maxEpochs: i.maxEpochs,
    });
    return await runWithProgress(i, {
      stage: 'warmup',
      dir: warmupDir(i.out),
      schedule,
      batches: d.train.numBatches,
      epochOrder: (e) => d.train.dataset.batchOrder(e),
      stepsPerEpoch: i.stepsPerEpoch,
      variables: modelVariables(model),
      optimizers: [opt],
      checkpointEvery: i.checkpointEvery,
      async trainStep(b, { rng, lr, step, next }) {
        const batch = augmentBatch(await train.get(b, next), training.specAugment, i.seed, 'warmup', step);
        i.onBatch?.('train', batch);
        const r = safeUpdate(
          () => objective.batchLoss(model, batch, { mode: 'warmup', rng, training: true }),
          weights,
          adam,
          opt.state,
          lr,
        );
        return { loss: r.loss, frames: batch.frames, skipped: r.skipped };
      },
      evaluate({ epoch }) {
        const rng = createRng(i.seed * 1000 + epoch);
        return evaluate(model, devBatches(i, d), () => ({ mode: 'warmup', rng, training: false }));
      },
    });
  } finally {
    disposeAdamState(opt.state);
    model.dispose();
    await d.close();
  }
}

import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { buildModel, countParams, type StnasConfig } from '@stnas/search-space';
import type { FeaturePipeline } from '../data/feature-pipeline';
import { InputError, UsageError } from '../errors';
import { ensureDir, readJson } from '../files';
import { createAdam, disposeAdamState } from '../training/adam';
import { readCheckpoint, writeCheckpoint, writeFileAtomic } from '../training/checkpoint';
import { retrainSchedule } from '../training/plateau-schedule';
import { safeUpdate } from '../training/safe-update';
import { bestCheckpointPath, type LoopResult } from '../training/train-loop';
import { augmentBatch, type RunTrainingConfig } from '../training/training-options';
import type { DerivedArchitecture } from './search';
import { searchDir } from './search';
import { checkSetFits, devBatches, loadStageData, modelVariables, type StageInputs } from './stage-common';
import { setupStage } from './stage-objective';
import { runWithProgress } from './stage-runner';

/** Options of the retrain stage beyond the shared ones. */
export interface RetrainInputs extends StageInputs {
  /** The architecture: the derived config, or one op per block. */
  architecture: StnasConfig;
  /** Subdirectory of the run directory (default `retrain`). */
  name: string;
  /** Epochs before the lr may decay (reference 10). */
  minEpochs: number;
  /** Stop when the lr falls below this (reference 1e-5). */
  lrFloor: number;
}

/** What a trained model directory's model.json holds. */
export interface ModelManifest {
  format: 'stnas-model-1';
  /** The fixed-architecture config (reference JSON, one op per node). */
  config: StnasConfig;
  /** One-line description of the architecture (ops in order). */
  architecture: string;
  params: number;
  pipeline: FeaturePipeline;
  /** Files in the model dir. */
  lexicon: string;
  units: string;
  weights: string;
  /** Training summary. */
  bestEpoch: number;
  devLoss: number;
  seed: number;
  /** The loss and augmentation it was trained with (also in `run-config.json`). */
  training?: RunTrainingConfig;
}

/** The op chosen in every node of a fixed config, in order (`base` fills unlisted nodes). */
export function configOps(config: StnasConfig): string[] {
  const nc = config.net_configs;
  const blocks = nc.block_list[0]!;
  const cand = config.candidate;
  const ops: string[] = [];
  for (let b = 0; b < blocks; b++) {
    const list = Array.isArray(cand)
      ? cand
      : ((cand as Record<string, readonly string[]>)[`${b}-0`] ?? (cand as { base: readonly string[] }).base);
    ops.push(list.length === 1 ? list[0]! : `{${list.join('|')}}`);
  }
  return ops;
}

/** The supernet config with one given op per block (for --arch and the baselines); one-node blocks only. */
export function configWithOps(config: StnasConfig, ops: readonly string[]): StnasConfig {
  const blocks = config.net_configs.block_list[0]!;
  if (config.net !== 'MFRNet' && config.net !== 'UniNodeNet') {
    throw new UsageError(
      `--arch lists one op per block, which needs a one-node-per-block net (MFRNet, UniNodeNet), not ${config.net}`,
    );
  }
  if (ops.length !== blocks)
    throw new UsageError(`--arch lists ${ops.length} ops, but the config has ${blocks} blocks`);
  const candidate: Record<string, string[]> = { base: [ops[0]!] };
  ops.forEach((op, b) => {
    candidate[`${b}-0`] = [op];
  });
  return { ...config, candidate: candidate as unknown as StnasConfig['candidate'] };
}

/** The architecture a retrain uses by default: the search's derived one. */
export function searchedArchitecture(out: string): StnasConfig {
  const file = path.join(searchDir(out), 'architecture.json');
  if (!existsSync(file)) throw new InputError(`retrain needs ${file} (run 'stnas search' first) or --arch`);
  return readJson<DerivedArchitecture>(file, 'architecture').config;
}

/**
 * Retrain (NASTop.py, MODE=retrain; CTC, or the paper's CTC-CRF with `loss: 'ctc-crf'`): builds the architecture from
 * scratch and trains it; after `minEpochs` the lr is multiplied by 0.1 on every epoch whose dev loss
 * does not improve, and the run stops below `lrFloor`. Writes a model dir (model.json, weights.ckpt
 * from the best epoch, lexicon.txt, units.txt) that `stnas decode --model` reads.
 */
export async function runRetrain(
  i: RetrainInputs,
): Promise<{ loop: LoopResult; modelDir: string; manifest: ModelManifest }> {
  const d = await loadStageData(i);
  const model = buildModel(i.architecture, { seed: i.seed });
  const adam = createAdam({ lr: i.lr });
  const opt = { name: 'weights', adam, state: adam.init() };
  try {
    const dir = ensureDir(path.join(i.out, i.name));
    checkSetFits(i, 'retrain', model, i.architecture, d.train, 'weights');
    const train = d.train.reader();
    const weights = model.weightVariables();
    const variables = modelVariables(model);
    const { config: training, objective, evaluate } = await setupStage(i, 'retrain', dir, d);
    const evalOpts = () => ({ mode: 'eval', argmax: true, training: false }) as const;
    const loop = await runWithProgress(i, {
      stage: 'retrain',
      dir,
      schedule: retrainSchedule({
        lr: i.lr,
        minEpochs: i.minEpochs,
        floor: i.lrFloor,
        maxEpochs: i.maxEpochs,
      }),
      batches: d.train.numBatches,
      epochOrder: (e) => d.train.dataset.batchOrder(e),
      stepsPerEpoch: i.stepsPerEpoch,
      variables,
      optimizers: [opt],
      checkpointEvery: i.checkpointEvery,
      async trainStep(b, { rng, lr, step, next }) {
        const batch = augmentBatch(await train.get(b, next), training.specAugment, i.seed, 'retrain', step);
        i.onBatch?.('train', batch);
        const r = safeUpdate(
          () => objective.batchLoss(model, batch, { mode: 'train', rng, training: true }),
          weights,
          adam,
          opt.state,
          lr,
        );
        return { loss: r.loss, frames: batch.frames, skipped: r.skipped };
      },
      evaluate: () => evaluate(model, devBatches(i, d), evalOpts),
    });
    if (!loop.finished)
      throw new Error(`retrain paused at step ${loop.state.step}; rerun the same command to continue`);
    const best = readCheckpoint<{ epoch: number; devLoss: number }>(bestCheckpointPath(dir));
    writeCheckpoint(path.join(dir, 'weights.ckpt'), best);
    copyFileSync(i.lexicon, path.join(dir, 'lexicon.txt'));
    copyFileSync(i.units, path.join(dir, 'units.txt'));
    const manifest: ModelManifest = {
      format: 'stnas-model-1',
      config: i.architecture,
      architecture: configOps(i.architecture).join(' '),
      params: countParams(model),
      pipeline: d.pipeline,
      lexicon: 'lexicon.txt',
      units: 'units.txt',
      weights: 'weights.ckpt',
      bestEpoch: best.state.epoch,
      devLoss: best.state.devLoss,
      seed: i.seed,
      training,
    };
    writeFileAtomic(path.join(dir, 'model.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return { loop, modelDir: dir, manifest };
  } finally {
    disposeAdamState(opt.state);
    model.dispose();
    await d.close();
  }
}

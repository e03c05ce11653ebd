import path from 'node:path';
import { ctcLoss } from '@stnas/ctc';
import type { ApplyOptions, SearchSpaceModel, StnasConfig } from '@stnas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import {
  type Batch,
  type DataSet,
  DEFAULT_PIPELINE,
  type FeaturePipeline,
  loadDataSet,
} from '../data/data-set';
import { type Lexicon, readLexicon, readUnits, type Units } from '../data/lang';
import { trainingDataDir } from '../data/speed-perturb-train';
import { InputError } from '../errors';
import type { ProgressSink } from '../training/progress';
import type { TrainingOptions } from '../training/training-options';

/** Inputs every training stage shares (the CLI fills them from its options). */
export interface StageInputs extends TrainingOptions {
  /** The supernet config (reference JSON). */
  config: StnasConfig;
  /** Training and dev data dirs. */
  data: string;
  dev: string;
  lexicon: string;
  units: string;
  /** The run directory. */
  out: string;
  seed: number;
  batchSize: number;
  lr: number;
  maxEpochs: number;
  stepsPerEpoch?: number;
  checkpointEvery: number;
  /** Caps the utterances loaded from each data dir (quick runs). */
  maxUtts?: number;
  /** Pauses (with a checkpoint) after this many steps in this process; a rerun resumes. */
  maxStepsThisRun?: number;
  pipeline?: FeaturePipeline;
  /** Progress output and one-line log messages. */
  progress: ProgressSink;
  log: (line: string) => void;
  /** Observer of every batch a stage feeds the model (`train` after augmentation); for tests. */
  onBatch?: (role: 'train' | 'heldOut' | 'dev', batch: Batch) => void;
}

/** Loaded data and language files of a stage. */
export interface StageData {
  lexicon: Lexicon;
  units: Units;
  train: DataSet;
  dev: DataSet;
  pipeline: FeaturePipeline;
}

const cache = new Map<string, Promise<DataSet>>();

/** Loads (once per process and arguments) a data dir with the stage's lexicon, units and pipeline. */
export function loadCached(
  dir: string,
  lexicon: Lexicon,
  units: Units,
  pipeline: FeaturePipeline,
  maxUtts?: number,
  lexFile = '',
): Promise<DataSet> {
  const key = JSON.stringify([path.resolve(dir), lexFile, units.names.length, pipeline, maxUtts ?? null]);
  let p = cache.get(key);
  if (!p) {
    p = loadDataSet(dir, { lexicon, units, pipeline, maxUtts });
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** Reads the lexicon and units and loads the train and dev sets, checking them against the config. */
export async function loadStageData(i: StageInputs): Promise<StageData> {
  const lexicon = readLexicon(i.lexicon);
  const units = readUnits(i.units);
  const pipeline = i.pipeline ?? DEFAULT_PIPELINE;
  const train = await loadCached(await trainingDataDir(i), lexicon, units, pipeline, i.maxUtts, i.lexicon);
  const dev = await loadCached(i.dev, lexicon, units, pipeline, i.maxUtts, i.lexicon);
  const nc = i.config.net_configs;
  for (const set of [train, dev]) {
    if (set.dim !== nc.idim) {
      throw new InputError(
        `${set.dir}: features have ${set.dim} dims after the pipeline, but the config's net_configs.idim is ${nc.idim}`,
      );
    }
  }
  if (units.names.length !== nc.num_classes) {
    throw new InputError(
      `${i.units} has ${units.names.length} units (blank included), but the config's net_configs.num_classes is ${nc.num_classes}`,
    );
  }
  return { lexicon, units, train, dev, pipeline };
}

/** Every variable of a model under stable names: weights, buffers (BatchNorm) and architecture logits. */
export function modelVariables(model: SearchSpaceModel): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const [k, v] of model.namedWeights()) out.set(`w:${k}`, v);
  for (const [k, v] of model.namedBuffers()) out.set(`b:${k}`, v);
  for (const [k, v] of model.namedArch()) out.set(`a:${k}`, v);
  return out;
}

/** CTC loss of one batch as the reference reports it (CAT: summed over utterances, divided by B). */
export function batchLoss(model: SearchSpaceModel, batch: Batch, opts: ApplyOptions): tf.Scalar {
  return tf.tidy(() => {
    const x = tf.tensor3d(batch.x, batch.shape);
    const { logits, lengths } = model.apply(x, batch.lengths, opts);
    const loss = ctcLoss(logits, batch.labels, lengths, { blank: 0, reduction: 'sum', zeroInfinity: true });
    return tf.div(loss, batch.shape[0]) as tf.Scalar;
  });
}

/** Mean per-utterance loss over batches (deterministic given `opts`); no gradients. */
export function evaluateLoss(
  model: SearchSpaceModel,
  batches: readonly Batch[],
  opts: () => ApplyOptions,
): number {
  let sum = 0;
  let n = 0;
  for (const b of batches) {
    const l = batchLoss(model, b, opts());
    sum += l.dataSync()[0]! * b.shape[0];
    n += b.shape[0];
    l.dispose();
  }
  return sum / Math.max(1, n);
}

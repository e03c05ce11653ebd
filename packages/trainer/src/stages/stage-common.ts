import { ctcLoss } from '@stnas/ctc';
import { type ApplyOptions, countParams, type SearchSpaceModel, type StnasConfig } from '@stnas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/batch';
import { DEFAULT_PIPELINE, type FeaturePipeline } from '../data/feature-pipeline';
import { type Lexicon, readLexicon, readUnits, type Units } from '../data/lang';
import { trainingDataDir } from '../data/speed-perturb-train';
import { openStageSet, type StageSet } from '../data/stage-set';
import { InputError } from '../errors';
import { checkBatchFits, largestBatch, type StepKind } from '../training/heap-budget';
import type { ProgressSink } from '../training/progress';
import type { TrainingOptions } from '../training/training-options';

/**
 * The CLI's default `--batch-frames`: padded frames per batch (utterances x the longest). Chosen
 * below the largest batch the 640-unit WSJ supernet fits on wasm (4 GiB heap) in every stage; see
 * docs/benchmarks.md ("Memory on WSJ-size data").
 */
export const DEFAULT_BATCH_FRAMES = 6000;

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
  /** Most utterances per batch (`--batch-size`). */
  batchSize: number;
  /** Most padded frames per batch (`--batch-frames`): utterances x the longest; unlimited when undefined. */
  batchFrames?: number;
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

/** The data and language files of a stage; the sets read their features from disk per batch. */
export interface StageData {
  lexicon: Lexicon;
  units: Units;
  /** The training set, shuffled per epoch by the run seed. */
  train: StageSet;
  /** The dev set, in length order. */
  dev: StageSet;
  pipeline: FeaturePipeline;
  /** Closes both sets' files. */
  close(): Promise<void>;
}

/**
 * Reads the lexicon and units and opens the train and dev sets (batched by `batchSize` and
 * `batchFrames`), checking them against the config. Close the result when the stage ends.
 */
export async function loadStageData(i: StageInputs): Promise<StageData> {
  const lexicon = readLexicon(i.lexicon);
  const units = readUnits(i.units);
  const pipeline = i.pipeline ?? DEFAULT_PIPELINE;
  const common = { lexicon, units, pipeline, maxUtts: i.maxUtts };
  const batching = { batchSize: i.batchSize, batchFrames: i.batchFrames };
  const train = await openStageSet(await trainingDataDir(i), {
    ...common,
    batching: { ...batching, seed: i.seed, shuffle: true },
  });
  let dev: StageSet | undefined;
  try {
    dev = await openStageSet(i.dev, { ...common, batching: { ...batching, shuffle: false } });
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
  } catch (err) {
    await train.close();
    await dev?.close();
    throw err;
  }
  const d = dev;
  return {
    lexicon,
    units,
    train,
    dev: d,
    pipeline,
    close: async () => {
      await train.close();
      await d.close();
    },
  };
}

/**
 * Refuses, on wasm, a set whose largest batch would not fit the heap in a step of `kind` (see
 * checkBatchFits); the error names --batch-frames and --batch-size.
 */
export function checkSetFits(
  i: StageInputs,
  stage: string,
  model: SearchSpaceModel,
  config: StnasConfig,
  set: StageSet,
  kind: StepKind,
): void {
  const lengths = set.dataset.buckets().map((b) => b.map((u) => set.dataset.lengths.get(u)!));
  checkBatchFits({
    stage,
    config,
    params: countParams(model),
    kind,
    batch: largestBatch(lengths),
    batchSize: i.batchSize,
    batchFrames: i.batchFrames,
  });
}

/** The dev set's batches, read one by one from disk, each shown to `i.onBatch` as `dev`. */
export async function* devBatches(i: StageInputs, d: StageData): AsyncGenerator<Batch> {
  for await (const b of d.dev.batches(0)) {
    i.onBatch?.('dev', b);
    yield b;
  }
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
export async function evaluateLoss(
  model: SearchSpaceModel,
  batches: Iterable<Batch> | AsyncIterable<Batch>,
  opts: () => ApplyOptions,
): Promise<number> {
  let sum = 0;
  let n = 0;
  for await (const b of batches) {
    const l = batchLoss(model, b, opts());
    sum += l.dataSync()[0]! * b.shape[0];
    n += b.shape[0];
    l.dispose();
  }
  return sum / Math.max(1, n);
}

// A data dir as a stage reads it: loadDataDir + SpeechDataset from @stnas/data-wsj, so features stay
// on disk and each batch is read, CMVN-normalised and given deltas when it is needed; only the
// lengths, the labels and the batch plan are held in memory.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type DataDir, loadDataDir, SpeechDataset } from '@stnas/data-wsj';
import { InputError } from '../errors';
import { type Batch, fromDatasetBatch } from './batch';
import type { FeaturePipeline } from './feature-pipeline';
import { type Lexicon, type Units, wordsToUnits } from './lang';

/** How a stage batches a data dir. */
export interface Batching {
  /** Most utterances per batch (`--batch-size`). */
  batchSize: number;
  /** Most padded frames per batch, utterances x longest (`--batch-frames`); unlimited when undefined. */
  batchFrames?: number;
  /** Seed of the batch order (epoch e uses seed + e); ignored when `shuffle` is false. */
  seed?: number;
  /** Shuffle the batch order each epoch (training) or keep length order (dev, decode). */
  shuffle: boolean;
}

/** A data dir opened for a stage: the dataset, its labels and batch access. */
export interface StageSet {
  dir: string;
  /** Feature dimension after the pipeline. */
  dim: number;
  dataset: SpeechDataset;
  /** Unit ids of every utterance's transcript (OOV words left out). */
  labels: Map<string, Int32Array>;
  /** Words not in the lexicon, and all words, in the transcripts of `dataset`'s utterances. */
  oov: number;
  words: number;
  /** Batches per epoch. */
  readonly numBatches: number;
  /** Batch `index` of the length-sorted {@link SpeechDataset.buckets}, read from disk. */
  batch(index: number): Promise<Batch>;
  /** The batches of `epoch` in the dataset's order from position `from`, each read while the previous is used. */
  batches(epoch?: number, from?: number): AsyncGenerator<Batch>;
  /**
   * Reads batches by index for a training loop: `get(b, next)` returns batch `b` (already being read
   * if it was the previous call's `next`) and starts reading `next`, so one batch is read ahead.
   */
  reader(): { get(b: number, next?: number): Promise<Batch> };
  /** The same utterances under other batching. */
  rebatch(b: Batching): StageSet;
  /** A set over `utts` only (same batching). */
  subset(utts: string[]): StageSet;
  /** Closes the data dir's files. */
  close(): Promise<void>;
}

function makeSet(
  dd: DataDir,
  dataset: SpeechDataset,
  labels: Map<string, Int32Array>,
  counts: { oov: number; words: number },
): StageSet {
  const set: StageSet = {
    dir: dd.dir,
    dim: dataset.dim,
    dataset,
    labels,
    ...counts,
    get numBatches() {
      return dataset.numBatches;
    },
    async batch(index) {
      const keys = dataset.buckets()[index];
      if (!keys)
        throw new RangeError(`${dd.dir}: batch ${index} does not exist (${dataset.numBatches} batches)`);
      return fromDatasetBatch(await dataset.loadBatch(keys));
    },
    async *batches(epoch = 0, from = 0) {
      for await (const b of dataset.batches(epoch, from)) yield fromDatasetBatch(b);
    },
    reader() {
      let ahead: { index: number; batch: Promise<Batch> } | undefined;
      return {
        get(b, next) {
          const cur = ahead?.index === b ? ahead.batch : set.batch(b);
          ahead = undefined;
          if (next !== undefined) {
            const batch = set.batch(next);
            batch.catch(() => {}); // surfaced when it is awaited
            ahead = { index: next, batch };
          }
          return cur;
        },
      };
    },
    rebatch: (b) => makeSet(dd, dataset.withOptions(datasetBatching(b)), labels, counts),
    subset: (utts) => makeSet(dd, dataset.subset(utts), labels, counts),
    close: () => dd.close(),
  };
  return set;
}

function datasetBatching(b: Batching) {
  return {
    maxBatchSize: b.batchSize,
    frameBudget: b.batchFrames ?? Number.POSITIVE_INFINITY,
    seed: b.seed ?? 0,
    shuffle: b.shuffle,
  };
}

/**
 * Opens a Kaldi data dir (`feats.scp`, `text`, `utt2spk`, `spk2utt` and, with per-speaker CMVN,
 * `cmvn.scp`) for a stage: maps the transcripts to unit ids through the lexicon (OOV words counted
 * and left out) and batches by length. Features are read per batch. Errors name the file and the
 * utterance.
 */
export async function openStageSet(
  dir: string,
  o: { lexicon: Lexicon; units: Units; pipeline: FeaturePipeline; maxUtts?: number; batching: Batching },
): Promise<StageSet> {
  if (!existsSync(dir)) throw new InputError(`data dir ${dir} does not exist`);
  if (!existsSync(path.join(dir, 'feats.scp')))
    throw new InputError(`data dir ${dir} has no feats.scp (expected a Kaldi data dir)`);
  if (o.pipeline.cmvn === 'speaker' && !existsSync(path.join(dir, 'cmvn.scp')))
    throw new InputError(
      `data dir ${dir} has no cmvn.scp, which per-speaker CMVN needs (compute-cmvn-stats --spk2utt)`,
    );
  let dd: DataDir;
  try {
    dd = await loadDataDir(dir, { requireText: true, requireCmvn: o.pipeline.cmvn === 'speaker' });
  } catch (err) {
    throw new InputError((err as Error).message);
  }
  try {
    const utts = dd.utts.slice(0, o.maxUtts ?? Number.POSITIVE_INFINITY);
    if (utts.length === 0) throw new InputError(`${path.join(dir, 'feats.scp')} lists no utterances`);
    // SpeechDataset wants labels for every utterance of the dir; OOVs count over the ones used.
    const labels = new Map<string, Int32Array>();
    const used = new Set(utts);
    let oov = 0;
    let words = 0;
    for (const u of dd.utts) {
      const w = dd.text!.get(u);
      if (!w)
        throw new InputError(`${path.join(dir, 'text')}: no transcript for utterance "${u}" of feats.scp`);
      const mapped = wordsToUnits(w, o.lexicon, o.units, `${path.join(dir, 'text')} (utterance "${u}")`);
      labels.set(u, mapped.labels);
      if (used.has(u)) {
        oov += mapped.oov;
        words += w.length;
      }
    }
    let dataset: SpeechDataset;
    try {
      const all = await SpeechDataset.fromDataDir(dd, {
        labels,
        cmvn: o.pipeline.cmvn === 'speaker' ? { normVars: o.pipeline.normVars } : false,
        deltas: o.pipeline.deltaOrder > 0 ? { order: o.pipeline.deltaOrder } : false,
        ...datasetBatching(o.batching),
      });
      dataset = utts.length < dd.utts.length ? all.subset(utts) : all;
    } catch (err) {
      throw new InputError(`${dir}: ${(err as Error).message}`);
    }
    for (const u of utts)
      if (!(dataset.lengths.get(u)! > 0))
        throw new InputError(`${path.join(dir, 'feats.scp')}: utterance "${u}" has no frames`);
    return makeSet(dd, dataset, labels, { oov, words });
  } catch (err) {
    await dd.close();
    throw err;
  }
}

// Turns a data dir into padded training batches: length-sorted buckets under a frame budget, seeded
// batch order per epoch, CMVN / deltas / splicing applied on the fly, and the next batch read while
// the current one is in use.
import { addDeltas, type DeltaOptions } from './add-deltas.ts';
import { applyCmvn } from './apply-cmvn.ts';
import type { DataDir } from './load-data-dir.ts';
import { compareC } from './read-table.ts';
import { seededShuffle } from './seeded-random.ts';
import { spliceFrames } from './splice-frames.ts';
import type { Matrix } from './types.ts';

/** Options for {@link SpeechDataset}. */
export interface SpeechDatasetOptions {
  /** Label ids per utterance (from labelTranscripts); every utterance must have one. */
  labels?: Map<string, Int32Array>;
  /** Apply the data dir's per-speaker CMVN (default true when cmvn.scp exists); `{ normVars }` as apply-cmvn. */
  cmvn?: boolean | { normVars?: boolean };
  /** Append deltas as add-deltas (default off). */
  deltas?: DeltaOptions | false;
  /** Splice context frames as splice-feats (default off). */
  splice?: { left: number; right: number } | false;
  /** Most padded frames per batch (batch size x longest utterance). Default 20000. */
  frameBudget?: number;
  /** Most utterances per batch (default unlimited). */
  maxBatchSize?: number;
  /** Seed of the batch order (epoch e uses seed + e). Default 0. */
  seed?: number;
  /** Shuffle the batch order each epoch (default true). */
  shuffle?: boolean;
}

/** One padded batch, ready to become tensors. */
export interface Batch {
  /** Utterance ids, in batch order. */
  keys: string[];
  /** Features [batchSize, maxFrames, dim], row-major, zero padded. */
  features: Float32Array;
  /** Frames of each utterance. */
  lengths: Int32Array;
  /** Label ids of each utterance. */
  labels: Int32Array[];
  /** Label count of each utterance. */
  labelLengths: Int32Array;
  batchSize: number;
  maxFrames: number;
  dim: number;
}

function checkBatching(opts: SpeechDatasetOptions): void {
  const budget = opts.frameBudget ?? 20000;
  if (!(budget > 0)) throw new RangeError(`SpeechDataset: frameBudget must be positive, got ${budget}`);
  if (opts.maxBatchSize !== undefined && !(opts.maxBatchSize >= 1)) {
    throw new RangeError(`SpeechDataset: maxBatchSize must be at least 1, got ${opts.maxBatchSize}`);
  }
}

/** A set of utterances from a data dir with their lengths, batched by length. */
export class SpeechDataset {
  private readonly cmvnCache = new Map<string, Promise<Matrix>>();
  private bucketCache: string[][] | undefined;

  private constructor(
    /** The data dir the utterances come from. */
    readonly dataDir: DataDir,
    /** Utterance ids in this dataset (C order). */
    readonly utts: string[],
    /** Frame count of each utterance. */
    readonly lengths: Map<string, number>,
    /** Feature dimension after deltas and splicing. */
    readonly dim: number,
    private readonly opts: SpeechDatasetOptions,
  ) {}

  /** Builds a dataset over every utterance of `dataDir`, reading lengths from utt2num_frames or matrix headers. */
  static async fromDataDir(dataDir: DataDir, opts: SpeechDatasetOptions = {}): Promise<SpeechDataset> {
    checkBatching(opts);
    if (opts.cmvn && !dataDir.cmvn)
      throw new Error(`SpeechDataset: cmvn requested but ${dataDir.dir} has no cmvn.scp`);
    if (opts.labels) {
      const missing = dataDir.utts.filter((u) => !opts.labels!.has(u));
      if (missing.length) {
        throw new Error(
          `SpeechDataset: ${missing.length} utterances have no labels, e.g. ${missing.slice(0, 5).join(', ')}`,
        );
      }
    }
    const lengths = new Map<string, number>();
    for (const u of dataDir.utts)
      lengths.set(u, dataDir.numFrames?.get(u) ?? (await dataDir.feats.numRows(u)));
    const first = dataDir.utts[0];
    let dim = 0;
    if (first !== undefined) {
      const m = await dataDir.feats.getMatrix(first);
      if (dataDir.numFrames && m.rows !== lengths.get(first)) {
        throw new Error(
          `${dataDir.dir}: utt2num_frames says ${lengths.get(first)} frames for ${first}, feats.scp has ${m.rows}`,
        );
      }
      const order = opts.deltas ? (opts.deltas.order ?? 2) : 0;
      const ctx = opts.splice ? opts.splice.left + 1 + opts.splice.right : 1;
      dim = m.cols * (order + 1) * ctx;
    }
    return new SpeechDataset(dataDir, dataDir.utts.slice(), lengths, dim, opts);
  }

  /** A dataset over `utts` only (same options and data dir). */
  subset(utts: string[]): SpeechDataset {
    for (const u of utts)
      if (!this.lengths.has(u))
        throw new Error(`SpeechDataset.subset: unknown utterance ${JSON.stringify(u)}`);
    return new SpeechDataset(this.dataDir, utts.slice().sort(compareC), this.lengths, this.dim, this.opts);
  }

  /** Seeded split into a training part and a held-out part holding `heldOutRatio` of the utterances. */
  split(heldOutRatio: number, seed = 0): { train: SpeechDataset; heldOut: SpeechDataset } {
    if (!(heldOutRatio >= 0 && heldOutRatio <= 1))
      throw new RangeError(`split: heldOutRatio must be in [0, 1], got ${heldOutRatio}`);
    const shuffled = seededShuffle(this.utts, seed);
    const n = Math.round(heldOutRatio * shuffled.length);
    return { heldOut: this.subset(shuffled.slice(0, n)), train: this.subset(shuffled.slice(n)) };
  }

  /**
   * The batches in length order, before any shuffling: utterances sorted by frames (then id), cut
   * into runs whose padded size (count x longest) stays within `frameBudget` and whose count stays
   * within `maxBatchSize`. An utterance longer than the budget gets a batch of its own.
   */
  buckets(): string[][] {
    if (this.bucketCache) return this.bucketCache;
    const budget = this.opts.frameBudget ?? 20000;
    const maxB = this.opts.maxBatchSize ?? Number.POSITIVE_INFINITY;
    const sorted = this.utts
      .slice()
      .sort((a, b) => this.lengths.get(a)! - this.lengths.get(b)! || compareC(a, b));
    const out: string[][] = [];
    let cur: string[] = [];
    for (const u of sorted) {
      const len = this.lengths.get(u)!;
      // Sorted ascending, so `len` is the longest in the batch once u joins.
      if (cur.length > 0 && ((cur.length + 1) * len > budget || cur.length + 1 > maxB)) {
        out.push(cur);
        cur = [];
      }
      cur.push(u);
    }
    if (cur.length) out.push(cur);
    this.bucketCache = out;
    return out;
  }

  /** The order in which `epoch` visits {@link buckets} (indices): a permutation seeded by seed + epoch. */
  batchOrder(epoch = 0): number[] {
    const idx = this.buckets().map((_, i) => i);
    return (this.opts.shuffle ?? true) ? seededShuffle(idx, (this.opts.seed ?? 0) + epoch) : idx;
  }

  /** The utterance ids of each batch of `epoch`, in the order {@link batches} yields them. */
  plan(epoch = 0): string[][] {
    const b = this.buckets();
    return this.batchOrder(epoch).map((i) => b[i]!);
  }

  /** The same utterances with other batching options (frame budget, batch size, seed, shuffle). */
  withOptions(
    o: Pick<SpeechDatasetOptions, 'frameBudget' | 'maxBatchSize' | 'seed' | 'shuffle'>,
  ): SpeechDataset {
    const opts = { ...this.opts, ...o };
    checkBatching(opts);
    return new SpeechDataset(this.dataDir, this.utts, this.lengths, this.dim, opts);
  }

  private stats(spk: string): Promise<Matrix> {
    let p = this.cmvnCache.get(spk);
    if (!p) {
      p = this.dataDir.cmvn!.getMatrix(spk);
      this.cmvnCache.set(spk, p);
    }
    return p;
  }

  /** Features of one utterance with CMVN, deltas and splicing applied. */
  async features(utt: string): Promise<Matrix> {
    let m = await this.dataDir.feats.getMatrix(utt);
    const useCmvn = this.opts.cmvn ?? this.dataDir.cmvn !== undefined;
    if (useCmvn && this.dataDir.cmvn) {
      const key = this.dataDir.cmvnPerUtt ? utt : this.dataDir.utt2spk.get(utt)!;
      const normVars = typeof this.opts.cmvn === 'object' ? this.opts.cmvn.normVars : false;
      m = applyCmvn(m, await this.stats(key), { normVars });
    }
    if (this.opts.deltas) m = addDeltas(m, this.opts.deltas);
    if (this.opts.splice) m = spliceFrames(m, this.opts.splice.left, this.opts.splice.right);
    if (m.data instanceof Float64Array) m = { rows: m.rows, cols: m.cols, data: Float32Array.from(m.data) };
    return m;
  }

  /** Reads and pads one batch. */
  async loadBatch(keys: string[]): Promise<Batch> {
    const mats = await Promise.all(keys.map((k) => this.features(k)));
    const dim = this.dim;
    const maxFrames = Math.max(0, ...mats.map((m) => m.rows));
    const features = new Float32Array(keys.length * maxFrames * dim);
    const lengths = new Int32Array(keys.length);
    const labels: Int32Array[] = [];
    const labelLengths = new Int32Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const m = mats[i]!;
      if (m.cols !== dim)
        throw new Error(
          `${this.dataDir.dir}: ${keys[i]} has dimension ${m.cols} after processing, expected ${dim}`,
        );
      features.set(m.data, i * maxFrames * dim);
      lengths[i] = m.rows;
      const lab = this.opts.labels?.get(keys[i]!) ?? new Int32Array(0);
      labels.push(lab);
      labelLengths[i] = lab.length;
    }
    return { keys, features, lengths, labels, labelLengths, batchSize: keys.length, maxFrames, dim };
  }

  /** Number of batches per epoch. */
  get numBatches(): number {
    return this.buckets().length;
  }

  /**
   * Yields the batches of `epoch` from position `from` (a resumed epoch), reading the next batch
   * while the caller uses the current one.
   */
  async *batches(epoch = 0, from = 0): AsyncGenerator<Batch> {
    const plan = this.plan(epoch);
    let next = from < plan.length ? this.loadBatch(plan[from]!) : undefined;
    for (let i = from; i < plan.length; i++) {
      const cur = await next!;
      next = i + 1 < plan.length ? this.loadBatch(plan[i + 1]!) : undefined;
      // Keep a failing prefetch from becoming an unhandled rejection if the caller stops early.
      next?.catch(() => {});
      yield cur;
    }
  }
}

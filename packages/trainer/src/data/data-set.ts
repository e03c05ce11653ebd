import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { addDeltas, applyCmvn, loadScp, type Matrix } from '@stnas/data-wsj';
import { InputError } from '../errors';
import { type Lexicon, type Units, wordsToUnits } from './lang';

/** How raw features become network input; stored with a model so decode applies the same. */
export interface FeaturePipeline {
  /** Per-speaker CMVN from `cmvn.scp` and `utt2spk` (`apply-cmvn --utt2spk`), or none. */
  cmvn: 'speaker' | 'none';
  /** `--norm-vars`. */
  normVars: boolean;
  /** `add-deltas --delta-order` (0 for none). */
  deltaOrder: number;
}

/** The reference's pipeline (egs/wsj_NAS/preprocess.sh): per-speaker CMVN, then deltas and delta-deltas. */
export const DEFAULT_PIPELINE: FeaturePipeline = { cmvn: 'speaker', normVars: true, deltaOrder: 2 };

/** One utterance ready for training or decoding. */
export interface Utterance {
  key: string;
  frames: number;
  /** Row-major [frames, dim] network input. */
  feats: Float32Array;
  labels: Int32Array;
}

/** A loaded data dir. */
export interface DataSet {
  dir: string;
  dim: number;
  utts: Utterance[];
  /** Words not in the lexicon (left out of the labels). */
  oov: number;
  /** Words in the transcripts. */
  words: number;
}

function table(dir: string, name: string): Map<string, { value: string; line: number }> {
  const file = path.join(dir, name);
  if (!existsSync(file)) throw new InputError(`data dir ${dir} has no ${name} (expected a Kaldi data dir)`);
  const out = new Map<string, { value: string; line: number }>();
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (!line) return;
      const m = /^(\S+)(?:\s+(.*))?$/.exec(line)!;
      if (out.has(m[1]!)) throw new InputError(`${file}:${i + 1}: key "${m[1]}" appears twice`);
      out.set(m[1]!, { value: (m[2] ?? '').trim(), line: i + 1 });
    });
  return out;
}

/**
 * Loads a Kaldi data dir (`feats.scp`, `text`, `utt2spk` and, with per-speaker CMVN, `cmvn.scp`),
 * applies the feature pipeline and maps the word transcripts to unit ids. Every utterance of
 * feats.scp must have a transcript and a speaker; errors name the file, line and utterance.
 */
export async function loadDataSet(
  dir: string,
  o: { lexicon: Lexicon; units: Units; pipeline: FeaturePipeline; maxUtts?: number },
): Promise<DataSet> {
  if (!existsSync(dir)) throw new InputError(`data dir ${dir} does not exist`);
  const text = table(dir, 'text');
  const utt2spk = table(dir, 'utt2spk');
  const featsPath = path.join(dir, 'feats.scp');
  if (!existsSync(featsPath))
    throw new InputError(`data dir ${dir} has no feats.scp (expected a Kaldi data dir)`);
  const feats = await loadScp(featsPath);
  const cmvnPath = path.join(dir, 'cmvn.scp');
  if (o.pipeline.cmvn === 'speaker' && !existsSync(cmvnPath)) {
    throw new InputError(
      `data dir ${dir} has no cmvn.scp, which per-speaker CMVN needs (compute-cmvn-stats --spk2utt)`,
    );
  }
  const cmvn = o.pipeline.cmvn === 'speaker' ? await loadScp(cmvnPath) : undefined;
  const stats = new Map<string, Matrix>();
  const utts: Utterance[] = [];
  let oov = 0;
  let words = 0;
  let dim = 0;
  try {
    const keys = feats.keys().slice(0, o.maxUtts ?? Infinity);
    if (keys.length === 0) throw new InputError(`${featsPath} lists no utterances`);
    for (const key of keys) {
      const t = text.get(key);
      if (!t)
        throw new InputError(`${path.join(dir, 'text')}: no transcript for utterance "${key}" of feats.scp`);
      let m = await feats.getMatrix(key);
      if (cmvn) {
        const spk = utt2spk.get(key);
        if (!spk) throw new InputError(`${path.join(dir, 'utt2spk')}: no speaker for utterance "${key}"`);
        let s = stats.get(spk.value);
        if (!s) {
          if (!cmvn.has(spk.value))
            throw new InputError(
              `${cmvnPath}: no CMVN stats for speaker "${spk.value}" (utterance "${key}")`,
            );
          s = await cmvn.getMatrix(spk.value);
          stats.set(spk.value, s);
        }
        try {
          m = applyCmvn(m, s, { normVars: o.pipeline.normVars });
        } catch (err) {
          throw new InputError(
            `${dir}: utterance "${key}", speaker "${spk.value}": ${(err as Error).message}`,
          );
        }
      }
      if (o.pipeline.deltaOrder > 0) m = addDeltas(m, { order: o.pipeline.deltaOrder });
      if (dim === 0) dim = m.cols;
      if (m.cols !== dim)
        throw new InputError(`${featsPath}: utterance "${key}" has ${m.cols} dims, earlier ones ${dim}`);
      if (m.rows === 0) throw new InputError(`${featsPath}: utterance "${key}" has no frames`);
      const data = m.data instanceof Float32Array ? m.data : Float32Array.from(m.data);
      for (let i = 0; i < data.length; i++) {
        if (!Number.isFinite(data[i]!))
          throw new InputError(
            `${featsPath}: utterance "${key}" has a non-finite feature at frame ${Math.floor(i / dim)}`,
          );
      }
      const w = t.value.split(/\s+/).filter(Boolean);
      const mapped = wordsToUnits(
        w,
        o.lexicon,
        o.units,
        `${path.join(dir, 'text')}:${t.line} (utterance "${key}")`,
      );
      oov += mapped.oov;
      words += w.length;
      utts.push({ key, frames: m.rows, feats: data, labels: mapped.labels });
    }
  } finally {
    await feats.close();
    await cmvn?.close();
  }
  return { dir, dim, utts, oov, words };
}

/** A padded batch as typed arrays: features [B, T, D] (zero-padded), lengths and labels. */
export interface Batch {
  keys: string[];
  x: Float32Array;
  shape: [number, number, number];
  lengths: number[];
  labels: Int32Array[];
  /** Real (unpadded) frames. */
  frames: number;
}

/**
 * Groups utterances into batches of similar length (sorted by frames, then key, so the grouping
 * is deterministic) of at most `batchSize` utterances; the trainer shuffles the batch order.
 */
export function makeBatches(utts: readonly Utterance[], dim: number, batchSize: number): Batch[] {
  const sorted = [...utts].sort(
    (a, b) => a.frames - b.frames || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const out: Batch[] = [];
  for (let i = 0; i < sorted.length; i += batchSize) {
    const group = sorted.slice(i, i + batchSize);
    const T = Math.max(...group.map((u) => u.frames));
    const x = new Float32Array(group.length * T * dim);
    group.forEach((u, b) => {
      x.set(u.feats, b * T * dim);
    });
    out.push({
      keys: group.map((u) => u.key),
      x,
      shape: [group.length, T, dim],
      lengths: group.map((u) => u.frames),
      labels: group.map((u) => u.labels),
      frames: group.reduce((n, u) => n + u.frames, 0),
    });
  }
  return out;
}

/**
 * Splits utterances into train and held-out parts: `ratio` of them, chosen by a seeded shuffle of
 * the sorted keys (the reference's `random_split` with seed 0), so the split is the same on resume.
 */
export function heldOutSplit(
  utts: readonly Utterance[],
  ratio: number,
  seed: number,
  shuffle: (n: number, seed: number) => number[],
): { train: Utterance[]; heldOut: Utterance[] } {
  const sorted = [...utts].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const n = Math.round(sorted.length * ratio);
  if (n < 1 || n >= sorted.length) {
    throw new InputError(
      `a held-out ratio of ${ratio} leaves ${n} of ${sorted.length} utterances held out; need at least 1 on each side`,
    );
  }
  const order = shuffle(sorted.length, seed);
  const held = new Set(order.slice(0, n));
  return { train: sorted.filter((_, i) => !held.has(i)), heldOut: sorted.filter((_, i) => held.has(i)) };
}

import { existsSync } from 'node:fs';
import path from 'node:path';
import { errorRate, greedyDecode, loadArpa, prefixBeamSearch } from '@stnas/ctc';
import { type ArkEntry, writeArk } from '@stnas/data-wsj';
import { buildModel } from '@stnas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { readLexicon, readUnits } from '../data/lang';
import { openStageSet } from '../data/stage-set';
import { InputError } from '../errors';
import { readJson } from '../files';
import { readCheckpoint } from '../training/checkpoint';
import { assignVariables } from '../training/train-loop';
import type { ModelManifest } from './retrain';
import { modelVariables } from './stage-common';

/** Options of `stnas decode`. */
export interface DecodeInputs {
  /** A model directory written by retrain (model.json, weights.ckpt, lexicon.txt, units.txt). */
  model: string;
  /** The Kaldi data dir to decode. */
  data: string;
  /** Word to phone lexicon (default: the model's own). */
  lexicon?: string;
  /** Prefix beam width; 0 for greedy. */
  beam: number;
  /** Phone n-gram LM (ARPA over unit names), beam search only. */
  lm?: string;
  lmWeight: number;
  /** Write the log-softmax outputs to this Kaldi ark (-inf as -1e16, as the reference's calculate_logits.py). */
  writeLogits?: string;
  /** Most utterances per batch (default 16). */
  batchSize?: number;
  /** Most padded frames per batch (utterances x the longest); unlimited by default. */
  batchFrames?: number;
  /** Caps the utterances decoded (quick runs). */
  maxUtts?: number;
  /** Called with each batch's log-posteriors (e.g. to search them for words); must copy what it keeps. */
  onLogProbs?: (
    keys: readonly string[],
    logProbs: { data: Float32Array; shape: [number, number, number] },
    lengths: ArrayLike<number>,
  ) => void;
}

/** What `stnas decode` reports. */
export interface DecodeResult {
  /** Phone error rate (errors / reference phones). */
  per: number;
  utterances: number;
  /** Words of the transcripts not in the lexicon (left out of the references). */
  oov: number;
  errors: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  refPhones: number;
  /** Errors and reference phones of every utterance, in data-dir order (for paired bootstraps). */
  perUtterance: { key: string; errors: number; refPhones: number }[];
}

/** Reads a model directory's manifest, checking that its files exist. */
export function readModelManifest(dir: string): ModelManifest {
  const m = readJson<ModelManifest>(path.join(dir, 'model.json'), 'model manifest');
  if (m.format !== 'stnas-model-1')
    throw new InputError(
      `${path.join(dir, 'model.json')}: format must be "stnas-model-1", got ${JSON.stringify(m.format)}`,
    );
  for (const f of [m.weights, m.units, m.lexicon]) {
    if (!existsSync(path.join(dir, f))) throw new InputError(`model dir ${dir} lacks ${f}`);
  }
  return m;
}

/**
 * Decodes a Kaldi data dir with a trained model: the model's own feature pipeline, the argmax
 * forward, then greedy decoding or prefix beam search (optionally with a phone n-gram LM), scored
 * as a phone error rate against the word transcripts mapped through the lexicon.
 */
export async function runDecode(i: DecodeInputs): Promise<DecodeResult> {
  const m = readModelManifest(i.model);
  const units = readUnits(path.join(i.model, m.units));
  const lexicon = readLexicon(i.lexicon ?? path.join(i.model, m.lexicon));
  const lm = i.lm ? await loadArpa(i.lm) : undefined;
  if (lm && i.beam === 0) throw new InputError('--lm needs beam search: give --beam N (N >= 1)');
  const set = await openStageSet(i.data, {
    lexicon,
    units,
    pipeline: m.pipeline,
    maxUtts: i.maxUtts,
    batching: { batchSize: i.batchSize ?? 16, batchFrames: i.batchFrames, shuffle: false },
  });
  if (set.dim !== m.config.net_configs.idim) {
    await set.close();
    throw new InputError(
      `${i.data}: features have ${set.dim} dims after the model's pipeline; the model takes ${m.config.net_configs.idim}`,
    );
  }
  const model = buildModel(m.config, { seed: m.seed });
  try {
    const weights = path.join(i.model, m.weights);
    assignVariables(weights, readCheckpoint(weights).arrays, modelVariables(model));
    const refs: Int32Array[] = [];
    const hyps: number[][] = [];
    const keys: string[] = [];
    // Decodes batch by batch, yielding each utterance's log-softmax rows when logits are written:
    // writeArk pulls them into its temporary ark as they come, so memory stays one batch, not the
    // whole test set, and the ark appears (by rename) only once every batch is decoded.
    const writeLogits = i.writeLogits !== undefined;
    async function* decodeBatches(): AsyncGenerator<ArkEntry> {
      for await (const batch of set.batches(0)) {
        const { data, shape, lengths } = tf.tidy(() => {
          const out = model.apply(tf.tensor3d(batch.x, batch.shape), batch.lengths, {
            mode: 'eval',
            argmax: true,
            training: false,
          });
          const lp = tf.logSoftmax(out.logits);
          return {
            data: lp.dataSync() as Float32Array,
            shape: lp.shape as [number, number, number],
            lengths: out.lengths,
          };
        });
        i.onLogProbs?.(batch.keys, { data, shape }, lengths);
        const decoded =
          i.beam > 0
            ? prefixBeamSearch({ data, shape }, lengths, {
                beamWidth: i.beam,
                lm,
                lmWeight: i.lmWeight,
                vocabulary: lm ? lmVocabulary(lm.vocabulary, units.names, i.lm!) : units.names,
                nBest: 1,
              }).map((n) => n[0]?.tokens ?? [])
            : greedyDecode({ data, shape }, lengths);
        refs.push(...batch.labels);
        keys.push(...batch.keys);
        hyps.push(...decoded);
        if (writeLogits) {
          const [, T, C] = shape;
          for (const [b, key] of batch.keys.entries())
            yield logitsEntry(key, data, b * T * C, lengths[b]!, C);
        }
      }
    }
    if (i.writeLogits) await writeArk(i.writeLogits, decodeBatches());
    else for await (const _ of decodeBatches());
    const e = errorRate(refs, hyps);
    return {
      per: e.rate,
      utterances: set.dataset.utts.length,
      oov: set.oov,
      errors: e.errors,
      substitutions: e.substitutions,
      deletions: e.deletions,
      insertions: e.insertions,
      refPhones: e.refLength,
      perUtterance: keys.map((key, u) => {
        const one = errorRate([refs[u]!], [hyps[u]!]);
        return { key, errors: one.errors, refPhones: one.refLength };
      }),
    };
  } finally {
    model.dispose();
    await set.close();
  }
}

/** One utterance's `rows` x `C` log-softmax rows from `data` at `offset`, -inf written as -1e16. */
function logitsEntry(key: string, data: Float32Array, offset: number, rows: number, C: number): ArkEntry {
  const out = new Float32Array(rows * C);
  for (let k = 0; k < rows * C; k++) {
    const v = data[offset + k]!;
    out[k] = v === -Infinity ? -1e16 : v;
  }
  return { key, value: { rows, cols: C, data: out } };
}

/**
 * How an LM names the units: by unit name (an LM trained on phone text) or by class id (the
 * `phone_lm.arpa` a CTC-CRF stage writes, as CAT's den_lm); undefined means ids. An LM that knows
 * neither would forbid every hypothesis, so it is an input error rather than a 100% PER.
 */
export function lmVocabulary(
  lmWords: readonly string[],
  unitNames: readonly string[],
  file: string,
): string[] | undefined {
  const words = new Set(lmWords);
  const byName = unitNames.filter((n, c) => c > 0 && words.has(n)).length;
  const byId = unitNames.filter((_, c) => c > 0 && words.has(String(c))).length;
  if (byName === 0 && byId === 0)
    throw new InputError(
      `${file}: none of the model's ${unitNames.length - 1} units is a word of the LM (expected unit names, or class ids as phone_lm.arpa has)`,
    );
  return byName >= byId ? [...unitNames] : undefined;
}

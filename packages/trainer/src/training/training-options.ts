// The training objective and augmentation of a stage (issues 9 and 10): which loss, which
// SpecAugment, which speed factors. Recorded in `<stage dir>/run-config.json` so a rerun that would
// resume a checkpoint under different options fails instead of mixing two trainings.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type SpecAugmentOptions, specAugment } from '@stnas/data-wsj';
import type { Batch } from '../data/batch';
import type { FeaturePipeline } from '../data/feature-pipeline';
import { InputError, UsageError } from '../errors';
import { ensureDir, readJson } from '../files';
import { writeFileAtomic } from './checkpoint';

/** The training loss: CTC, or CTC-CRF (Xiang and Ou, ICASSP 2019) as the ST-NAS paper trains. */
export type LossKind = 'ctc' | 'ctc-crf';

/** SpecAugment settings (the options of `specAugment` without the seed). */
export type SpecAugmentConfig = Omit<SpecAugmentOptions, 'seed'>;

/** Loss and augmentation options a training stage takes (all optional: CTC, no augmentation). */
export interface TrainingOptions {
  /** Default 'ctc'. */
  loss?: LossKind;
  /** Weight of the CTC term in CTC-CRF (default 0.01, the paper's WSJ value). */
  crfLambda?: number;
  /** Order of the phone LM of the CTC-CRF denominator (default 4). */
  crfOrder?: number;
  /** SpecAugment of training batches (never dev, held-out or decoding); undefined for none. */
  specAugment?: SpecAugmentConfig;
  /** Speed factors the training data dir was perturbed with (needs its wav.scp); undefined for none. */
  speedPerturb?: number[];
}

/** The options with defaults filled in, as `run-config.json` records them. */
export interface RunTrainingConfig {
  loss: LossKind;
  crfLambda: number | null;
  crfOrder: number | null;
  specAugment: Required<Omit<SpecAugmentConfig, 'maskValue'>> | null;
  speedPerturb: number[] | null;
}

/**
 * SpecAugment defaults for a feature pipeline: Park et al.'s LibriSpeech-basic counts (2 frequency
 * and 2 time masks, no warping) with widths scaled to 40 bins (F = 10) and the masked band shared by
 * the statics and their deltas (`freqGroups` = deltaOrder + 1).
 */
export function defaultSpecAugment(
  pipeline: FeaturePipeline,
): Required<Omit<SpecAugmentConfig, 'maskValue'>> {
  return {
    freqMasks: 2,
    freqMaskWidth: 10,
    freqGroups: pipeline.deltaOrder + 1,
    timeMasks: 2,
    timeMaskWidth: 40,
    timeMaskRatio: 0.2,
    timeWarp: 0,
  };
}

/** Fills in defaults: the record a stage pins and the settings it trains with. */
export function resolveTrainingOptions(o: TrainingOptions, pipeline: FeaturePipeline): RunTrainingConfig {
  const loss = o.loss ?? 'ctc';
  return {
    loss,
    crfLambda: loss === 'ctc-crf' ? (o.crfLambda ?? 0.01) : null,
    crfOrder: loss === 'ctc-crf' ? (o.crfOrder ?? 4) : null,
    specAugment: o.specAugment ? { ...defaultSpecAugment(pipeline), ...o.specAugment } : null,
    speedPerturb: o.speedPerturb ? [...o.speedPerturb] : null,
  };
}

/**
 * Writes `<dir>/run-config.json` on a stage's first run; on a rerun that would resume a checkpoint,
 * refuses different options (a resumed run must continue the same training).
 */
export function pinRunConfig(dir: string, config: RunTrainingConfig): void {
  ensureDir(dir);
  const file = path.join(dir, 'run-config.json');
  if (existsSync(file) && existsSync(path.join(dir, 'checkpoint.ckpt'))) {
    const old = readJson<RunTrainingConfig>(file, 'run config');
    if (JSON.stringify(old) !== JSON.stringify(config)) {
      throw new InputError(
        `${file} records ${JSON.stringify(old)}, but this run asks for ${JSON.stringify(config)}: use the same options to resume, or a new --out/--name`,
      );
    }
    return;
  }
  writeFileAtomic(file, `${JSON.stringify(config, null, 2)}\n`);
}

/** A 32-bit seed from the run seed, a stage tag and the global step (FNV-1a over their decimal text). */
export function stepSeed(seed: number, stage: string, step: number): number {
  const s = `${seed}/${stage}/${step}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The batch a training step sees: with SpecAugment, a copy with masks drawn from the run seed, the
 * stage and the step (the same on resume); without, the batch itself.
 */
export function augmentBatch(
  batch: Batch,
  config: SpecAugmentConfig | null,
  seed: number,
  stage: string,
  step: number,
): Batch {
  if (!config) return batch;
  const [B, T, D] = batch.shape;
  const r = specAugment(
    { features: batch.x, lengths: batch.lengths, batchSize: B, maxFrames: T, dim: D },
    { ...config, seed: stepSeed(seed, stage, step) },
  );
  return { ...batch, x: r.features };
}

const SPEC_KEYS: Record<keyof SpecAugmentConfig, 'count' | 'ratio' | 'number'> = {
  freqMasks: 'count',
  freqMaskWidth: 'count',
  freqGroups: 'count',
  timeMasks: 'count',
  timeMaskWidth: 'count',
  timeMaskRatio: 'ratio',
  timeWarp: 'count',
  maskValue: 'number',
};

/**
 * Parses `--spec-augment-config`: inline JSON (starting with `{`) or a JSON file, an object of
 * SpecAugment options; unknown keys and bad values are usage errors naming the key.
 */
export function parseSpecAugmentConfig(text: string): SpecAugmentConfig {
  const opt = '--spec-augment-config';
  let raw: string;
  if (/^\s*[[{]/.test(text)) raw = text;
  else {
    if (!existsSync(text)) throw new UsageError(`${opt} ${text} is neither inline JSON nor an existing file`);
    raw = readFileSync(text, 'utf8');
  }
  let obj: unknown;
  try {
    obj = JSON.parse(raw);
  } catch (err) {
    throw new UsageError(`${opt}: not valid JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
    throw new UsageError(`${opt} must be a JSON object, got ${JSON.stringify(obj)}`);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(obj)) {
    const kind = SPEC_KEYS[k as keyof SpecAugmentConfig];
    if (!kind)
      throw new UsageError(`${opt}: unknown key "${k}" (expected ${Object.keys(SPEC_KEYS).join(', ')})`);
    const ok =
      typeof v === 'number' &&
      Number.isFinite(v) &&
      (kind === 'number' || (kind === 'ratio' ? v >= 0 && v <= 1 : Number.isInteger(v) && v >= 0));
    if (!ok) {
      const want =
        kind === 'count'
          ? 'a non-negative integer'
          : kind === 'ratio'
            ? 'a number in [0, 1]'
            : 'a finite number';
      throw new UsageError(`${opt}: "${k}" must be ${want}, got ${JSON.stringify(v)}`);
    }
    out[k] = v;
  }
  if (out.freqGroups === 0) throw new UsageError(`${opt}: "freqGroups" must be >= 1`);
  return out as SpecAugmentConfig;
}

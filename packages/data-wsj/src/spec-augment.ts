// SpecAugment (Park et al., "SpecAugment: A Simple Data Augmentation Method for Automatic Speech
// Recognition", Interspeech 2019, section 2): time warping, then frequency masks, then time masks,
// each drawn per utterance. Pure and seeded: the same batch, options and seed give the same masks.
import { mulberry32 } from './seeded-random.ts';

/** A padded batch, as {@link Batch} holds it: features [batchSize, maxFrames, dim], row-major. */
export interface PaddedFeatures {
  /** Features [batchSize, maxFrames, dim], row-major; frames past each length are padding. */
  features: Float32Array;
  /** Frames of each utterance (≤ maxFrames). */
  lengths: ArrayLike<number>;
  batchSize: number;
  maxFrames: number;
  dim: number;
}

/** Options of {@link specAugment}; widths are upper bounds, each mask's width is drawn from [0, max]. */
export interface SpecAugmentOptions {
  /** Seed of every draw (derive it from the run seed and the step so each batch differs). */
  seed: number;
  /** Frequency masks per utterance (Park et al.'s m_F); 2. */
  freqMasks?: number;
  /** Maximum frequency mask width in bins (F); 10 (of 40 bins; Park et al. use 27 of 80). */
  freqMaskWidth?: number;
  /**
   * Equal blocks the feature dim is made of, masked at the same bins: 3 for 40 fbank + Δ + ΔΔ (dim
   * 120) masks a band of the statics and of both deltas; 1.
   */
  freqGroups?: number;
  /** Time masks per utterance (m_T); 2. */
  timeMasks?: number;
  /** Maximum time mask width in frames (T); 40. */
  timeMaskWidth?: number;
  /** Cap on each time mask as a fraction of the utterance's length (p); 0.2. */
  timeMaskRatio?: number;
  /** Maximum time warp distance in frames (W); 0 = no warping (Park et al. use 80 at 10 ms). */
  timeWarp?: number;
  /** Value written into masked cells; 0 (the mean after CMVN). */
  maskValue?: number;
}

/** What {@link specAugment} did to one utterance; spans are half-open [start, end). */
export interface UtteranceMasks {
  /** Time warp: frame `from` moved to frame `to` (equal when not warped). */
  warp: { from: number; to: number };
  /** Masked bins within one block of `dim / freqGroups` bins. */
  freq: Array<[number, number]>;
  /** Masked frames. */
  time: Array<[number, number]>;
}

/** The augmented batch and the masks drawn for each utterance. */
export interface SpecAugmentResult {
  /** A new array [batchSize, maxFrames, dim]; padding frames copied unchanged. */
  features: Float32Array;
  masks: UtteranceMasks[];
}

function count(name: string, v: number | undefined, dflt: number): number {
  const x = v ?? dflt;
  if (!Number.isInteger(x) || x < 0)
    throw new Error(`specAugment: option ${name} must be a non-negative integer, got ${String(x)}`);
  return x;
}

/**
 * Applies SpecAugment to a padded batch: optional time warping, then `freqMasks` bands of up to
 * `freqMaskWidth` bins and `timeMasks` spans of up to min(`timeMaskWidth`, ⌊`timeMaskRatio` ·
 * length⌋) frames per utterance, all inside each utterance's length; padding and lengths untouched.
 */
export function specAugment(batch: PaddedFeatures, options: SpecAugmentOptions): SpecAugmentResult {
  const { features, lengths, batchSize: B, maxFrames: T, dim: D } = batch;
  if (!Number.isInteger(options.seed))
    throw new Error(`specAugment: option seed must be an integer, got ${String(options.seed)}`);
  for (const [name, v] of [
    ['batchSize', B],
    ['maxFrames', T],
    ['dim', D],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new Error(`specAugment: batch.${name} must be a non-negative integer, got ${String(v)}`);
  }
  if (features.length !== B * T * D)
    throw new Error(
      `specAugment: batch.features has ${features.length} values, expected batchSize·maxFrames·dim = ${B}·${T}·${D} = ${B * T * D}`,
    );
  if (lengths.length !== B)
    throw new Error(`specAugment: batch.lengths has ${lengths.length} entries, expected batchSize ${B}`);
  const freqMasks = count('freqMasks', options.freqMasks, 2);
  const freqMaskWidth = count('freqMaskWidth', options.freqMaskWidth, 10);
  const groups = count('freqGroups', options.freqGroups, 1);
  const timeMasks = count('timeMasks', options.timeMasks, 2);
  const timeMaskWidth = count('timeMaskWidth', options.timeMaskWidth, 40);
  const timeWarp = count('timeWarp', options.timeWarp, 0);
  const ratio = options.timeMaskRatio ?? 0.2;
  if (!(ratio >= 0 && ratio <= 1))
    throw new Error(`specAugment: option timeMaskRatio must be in [0, 1], got ${String(ratio)}`);
  const maskValue = options.maskValue ?? 0;
  if (groups < 1 || D % groups !== 0)
    throw new Error(`specAugment: option freqGroups (${groups}) must be >= 1 and divide dim ${D}`);
  const block = D / groups;
  if (freqMasks > 0 && freqMaskWidth > block)
    throw new Error(
      `specAugment: option freqMaskWidth (${freqMaskWidth}) exceeds the ${block} bins of a block`,
    );

  const rand = mulberry32(options.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1)); // uniform in [lo, hi]
  const out = Float32Array.from(features);
  const masks: UtteranceMasks[] = [];
  for (let b = 0; b < B; b++) {
    const len = lengths[b]!;
    if (!Number.isInteger(len) || len < 0 || len > T)
      throw new Error(
        `specAugment: batch.lengths[${b}] = ${String(len)} is not an integer in [0, maxFrames ${T}]`,
      );
    const base = b * T * D;
    const m: UtteranceMasks = { warp: { from: 0, to: 0 }, freq: [], time: [] };
    // time warp (needs room for the anchor: W < from < len - W)
    if (timeWarp > 0 && len > 2 * timeWarp + 1) {
      const from = int(timeWarp + 1, len - timeWarp - 1);
      const to = from + int(-timeWarp, timeWarp);
      m.warp = { from, to };
      if (to !== from) warpUtterance(features, out, base, len, D, from, to);
    }
    for (let k = 0; k < freqMasks; k++) {
      const f = int(0, freqMaskWidth);
      const f0 = int(0, block - f);
      m.freq.push([f0, f0 + f]);
      for (let g = 0; g < groups; g++)
        for (let t = 0; t < len; t++)
          out.fill(maskValue, base + t * D + g * block + f0, base + t * D + g * block + f0 + f);
    }
    const cap = Math.min(timeMaskWidth, Math.floor(ratio * len));
    for (let k = 0; k < timeMasks; k++) {
      const w = int(0, cap);
      const t0 = int(0, len - w);
      m.time.push([t0, t0 + w]);
      out.fill(maskValue, base + t0 * D, base + (t0 + w) * D);
    }
    masks.push(m);
  }
  return { features: out, masks };
}

/**
 * Piecewise-linear time warp of frames [0, len): frame `from` moves to `to`, the ends stay put
 * (the two halves are stretched with linear interpolation, as torchaudio's `time_warp` stretches
 * them with `interpolate`).
 */
function warpUtterance(
  src: Float32Array,
  dst: Float32Array,
  base: number,
  len: number,
  D: number,
  from: number,
  to: number,
): void {
  for (let t = 0; t < len; t++) {
    // source position of output frame t
    const s = t <= to ? (t * from) / to : from + ((t - to) * (len - 1 - from)) / (len - 1 - to);
    const i = Math.min(Math.floor(s), len - 1);
    const a = s - i;
    const j = Math.min(i + 1, len - 1);
    const o = base + t * D;
    for (let d = 0; d < D; d++) dst[o + d] = (1 - a) * src[base + i * D + d]! + a * src[base + j * D + d]!;
  }
}

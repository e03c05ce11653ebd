// Framing, dithering, DC removal, pre-emphasis and windowing, following Kaldi feat/feature-window.cc.
import { GaussianNoise } from './random';

/** Window shapes of Kaldi's `--window-type`. */
export type WindowType = 'povey' | 'hamming' | 'hanning' | 'rectangular' | 'blackman' | 'sine';

/** Kaldi's `FrameExtractionOptions` (feat/feature-window.h), in camelCase with the same defaults. */
export interface FrameOptions {
  /** Sample rate in Hz; 16000. */
  sampleFrequency?: number;
  /** Frame length in milliseconds; 25. */
  frameLength?: number;
  /** Frame shift in milliseconds; 10. */
  frameShift?: number;
  /** Pre-emphasis coefficient; 0.97. */
  preemphCoeff?: number;
  /** Subtract each frame's mean before anything else; true. */
  removeDcOffset?: boolean;
  /** Window shape; 'povey'. */
  windowType?: WindowType;
  /** Blackman window coefficient; 0.42. */
  blackmanCoeff?: number;
  /** Only whole frames (true), or frames centred on every shift with reflected edges (false); true. */
  snipEdges?: boolean;
  /** Zero-pad frames to a power of two before the FFT; true. */
  roundToPowerOfTwo?: boolean;
  /** Gaussian dither amplitude; 0 here (Kaldi's default is 1). When set, noise is seeded by `seed`. */
  dither?: number;
  /** Seed of the dither noise; 0. */
  seed?: number;
}

/** Frame options with every default filled in and sizes in samples. */
export interface ResolvedFrameOptions extends Required<FrameOptions> {
  /** Window size in samples. */
  windowSize: number;
  /** Window shift in samples. */
  windowShift: number;
  /** FFT size in samples. */
  paddedWindowSize: number;
}

/** Fills in Kaldi's defaults and checks ranges; errors name `fn` and the option. */
export function resolveFrameOptions(options: FrameOptions, fn: string): ResolvedFrameOptions {
  const o = {
    sampleFrequency: options.sampleFrequency ?? 16000,
    frameLength: options.frameLength ?? 25,
    frameShift: options.frameShift ?? 10,
    preemphCoeff: options.preemphCoeff ?? 0.97,
    removeDcOffset: options.removeDcOffset ?? true,
    windowType: options.windowType ?? 'povey',
    blackmanCoeff: options.blackmanCoeff ?? 0.42,
    snipEdges: options.snipEdges ?? true,
    roundToPowerOfTwo: options.roundToPowerOfTwo ?? true,
    dither: options.dither ?? 0,
    seed: options.seed ?? 0,
  };
  const positive = (name: keyof typeof o) => {
    const v = o[name];
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
      throw new Error(`${fn}: option ${name} must be a positive number, got ${String(v)}`);
    }
  };
  positive('sampleFrequency');
  positive('frameLength');
  positive('frameShift');
  if (!(o.preemphCoeff >= 0 && o.preemphCoeff <= 1)) {
    throw new Error(`${fn}: option preemphCoeff must be in [0, 1], got ${o.preemphCoeff}`);
  }
  if (!(o.dither >= 0)) throw new Error(`${fn}: option dither must be >= 0, got ${o.dither}`);
  if (!['povey', 'hamming', 'hanning', 'rectangular', 'blackman', 'sine'].includes(o.windowType)) {
    throw new Error(
      `${fn}: option windowType must be povey, hamming, hanning, rectangular, blackman or sine, got ${JSON.stringify(o.windowType)}`,
    );
  }
  // Kaldi: static_cast<int32>(samp_freq * 0.001 * frame_length_ms)
  const windowSize = Math.trunc(o.sampleFrequency * 0.001 * o.frameLength);
  const windowShift = Math.trunc(o.sampleFrequency * 0.001 * o.frameShift);
  if (windowSize < 2 || windowShift < 1) {
    throw new Error(
      `${fn}: frameLength ${o.frameLength} ms / frameShift ${o.frameShift} ms at ${o.sampleFrequency} Hz give ${windowSize} / ${windowShift} samples; need at least 2 / 1`,
    );
  }
  let padded = windowSize;
  if (o.roundToPowerOfTwo) {
    padded = 1;
    while (padded < windowSize) padded <<= 1;
  }
  return { ...o, windowSize, windowShift, paddedWindowSize: padded };
}

/** Number of frames Kaldi's `NumFrames` gives for `numSamples` samples. */
export function numFrames(numSamples: number, o: ResolvedFrameOptions): number {
  if (o.snipEdges) {
    return numSamples < o.windowSize ? 0 : 1 + Math.floor((numSamples - o.windowSize) / o.windowShift);
  }
  return Math.floor((numSamples + Math.floor(o.windowShift / 2)) / o.windowShift);
}

/** Kaldi's `FeatureWindowFunction`: the window of `size` samples. */
export function windowFunction(type: WindowType, size: number, blackmanCoeff = 0.42): Float64Array {
  const w = new Float64Array(size);
  const a = (2 * Math.PI) / (size - 1);
  for (let i = 0; i < size; i++) {
    const c = Math.cos(a * i);
    switch (type) {
      case 'hanning':
        w[i] = 0.5 - 0.5 * c;
        break;
      case 'sine':
        w[i] = Math.sin(0.5 * a * i);
        break;
      case 'hamming':
        w[i] = 0.54 - 0.46 * c;
        break;
      case 'povey':
        w[i] = (0.5 - 0.5 * c) ** 0.85;
        break;
      case 'rectangular':
        w[i] = 1;
        break;
      case 'blackman':
        w[i] = blackmanCoeff - 0.5 * c + (0.5 - blackmanCoeff) * Math.cos(2 * a * i);
        break;
    }
  }
  return w;
}

const f = Math.fround;

/**
 * Runs Kaldi's frame pipeline over `samples` in float32 arithmetic, as Kaldi does (feature-window.cc
 * ExtractWindow), calling `onFrame(t, frame, rawLogEnergy)` with the windowed, zero-padded frame
 * (reused between calls) and the log energy before pre-emphasis.
 */
export function forEachFrame(
  samples: ArrayLike<number>,
  o: ResolvedFrameOptions,
  onFrame: (t: number, frame: Float32Array, rawLogEnergy: number) => void,
): number {
  const n = samples.length;
  const frames = numFrames(n, o);
  const size = o.windowSize;
  const win = Float32Array.from(windowFunction(o.windowType, size, f(o.blackmanCoeff)));
  const frame = new Float32Array(o.paddedWindowSize);
  const noise = o.dither > 0 ? new GaussianNoise(o.seed) : null;
  const dither = f(o.dither);
  const added = new Float32Array(size); // one frame's dither noise
  const eps = 1.1920928955078125e-7; // FLT_EPSILON, the floor Kaldi applies before logs
  const coeff = f(o.preemphCoeff);
  const removeDc = o.removeDcOffset;
  const shift = o.windowShift;
  const offset = o.snipEdges ? 0 : Math.floor(shift / 2) - Math.floor(size / 2);
  // Each loop fuses passes of Kaldi's ExtractWindow/ProcessWindow that touch one sample at a time;
  // every value is rounded to float where Kaldi stores a float, so the result is the same.
  for (let t = 0; t < frames; t++) {
    const start = t * shift + offset;
    if (noise) noise.fillScaled(added, size, dither);
    let sum = 0; // VectorBase::Sum accumulates in double and returns float
    if (start >= 0 && start + size <= n) {
      for (let i = 0; i < size; i++) {
        const x = noise ? f(f(samples[start + i]!) + added[i]!) : f(samples[start + i]!);
        frame[i] = x;
        sum += x;
      }
    } else {
      for (let i = 0; i < size; i++) {
        let s = start + i;
        // reflect at the edges, as Kaldi's ExtractWindow does
        while (s < 0 || s >= n) s = s < 0 ? -s - 1 : 2 * n - 1 - s;
        const x = noise ? f(f(samples[s]!) + added[i]!) : f(samples[s]!);
        frame[i] = x;
        sum += x;
      }
    }
    let energy = 0;
    if (removeDc) {
      const dc = f(-f(sum) / size);
      for (let i = 0; i < size; i++) {
        const x = f(frame[i]! + dc);
        frame[i] = x;
        energy += x * x;
      }
    } else {
      for (let i = 0; i < size; i++) energy += frame[i]! * frame[i]!;
    }
    const rawLogEnergy = Math.log(Math.max(f(energy), eps));
    // pre-emphasis runs backwards (x[i] -= c x[i-1] with the old x[i-1]), then the window
    if (coeff !== 0) {
      for (let i = size - 1; i > 0; i--) frame[i] = f(frame[i]! - f(coeff * frame[i - 1]!)) * win[i]!;
      frame[0] = f(frame[0]! - f(coeff * frame[0]!)) * win[0]!;
    } else {
      for (let i = 0; i < size; i++) frame[i] = frame[i]! * win[i]!;
    }
    // frame[size..padded) stays zero: it is never written
    onFrame(t, frame, rawLogEnergy);
  }
  return frames;
}

import type { Matrix } from '@stnas/data-wsj';
import { type FrameOptions, forEachFrame, numFrames, resolveFrameOptions } from './feature-window';
import { createPowerSpectrum } from './fft';
import { type MelOptions, melBanks } from './mel-banks';

/** Kaldi's `FbankOptions` (feat/feature-fbank.h) in camelCase; defaults as Kaldi's except dither 0. */
export interface FbankOptions extends FrameOptions, MelOptions {
  /** Append the log energy (column 0, or last with htkCompat); false. */
  useEnergy?: boolean;
  /** Take the log of the mel energies (floored at FLT_EPSILON); true. */
  useLogFbank?: boolean;
  /** Use power (true) or magnitude (false) spectrum; true. */
  usePower?: boolean;
  /** Compute the energy before pre-emphasis and windowing; true. */
  rawEnergy?: boolean;
  /** HTK layout: energy last, mel energies floored at 1; false. */
  htkCompat?: boolean;
  /** Floor on the log energy as a linear value (0 = none); 0. */
  energyFloor?: number;
}

const FLT_EPSILON = 1.1920928955078125e-7;

/**
 * Log mel filterbank features of `samples` (16-bit integer scale, as from `readWav`) exactly as
 * Kaldi's `compute-fbank-feats` computes them; returns frames × (numMelBins [+1]) float32 rows.
 */
export function fbank(samples: ArrayLike<number>, options: FbankOptions = {}): Matrix {
  const fn = 'fbank';
  const o = resolveFrameOptions(options, fn);
  const numBins = options.numMelBins ?? 23;
  const bins = melBanks(
    numBins,
    options.lowFreq ?? 20,
    options.highFreq ?? 0,
    o.sampleFrequency,
    o.paddedWindowSize,
    fn,
  );
  const useEnergy = options.useEnergy ?? false;
  const useLog = options.useLogFbank ?? true;
  const usePower = options.usePower ?? true;
  const rawEnergy = options.rawEnergy ?? true;
  const htk = options.htkCompat ?? false;
  const energyFloor = options.energyFloor ?? 0;
  if (!(energyFloor >= 0)) throw new Error(`fbank: option energyFloor must be >= 0, got ${energyFloor}`);
  const logEnergyFloor = Math.log(energyFloor);
  const cols = numBins + (useEnergy ? 1 : 0);
  const melOffset = useEnergy && !htk ? 1 : 0;
  const energyIndex = htk ? numBins : 0;
  const spectrum = createPowerSpectrum(o.paddedWindowSize, true);
  const power = new Float32Array((o.paddedWindowSize >> 1) + 1);
  const frames = numFrames(samples.length, o);
  const data = new Float32Array(frames * cols);
  forEachFrame(samples, o, (t, frame, rawLogEnergy) => {
    let logEnergy = rawLogEnergy;
    if (useEnergy && !rawEnergy) {
      let e = 0;
      for (let i = 0; i < frame.length; i++) e += frame[i]! * frame[i]!;
      logEnergy = Math.log(Math.max(e, FLT_EPSILON));
    }
    spectrum.compute(frame, power);
    if (!usePower) for (let i = 0; i < power.length; i++) power[i] = Math.sqrt(power[i]!);
    const row = t * cols;
    for (let b = 0; b < numBins; b++) {
      const { offset, weights } = bins[b]!;
      let e = 0;
      for (let i = 0; i < weights.length; i++) e += weights[i]! * power[offset + i]!;
      e = Math.fround(e); // Kaldi's mel energies are float
      if (htk && e < 1) e = 1;
      if (useLog) e = Math.log(Math.max(e, FLT_EPSILON));
      data[row + melOffset + b] = e;
    }
    if (useEnergy) {
      if (energyFloor > 0 && logEnergy < logEnergyFloor) logEnergy = logEnergyFloor;
      data[row + energyIndex] = logEnergy;
    }
  });
  return { rows: frames, cols, data };
}

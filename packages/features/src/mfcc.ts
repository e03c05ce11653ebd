import type { Matrix } from '@stnas/data-wsj';
import { type FrameOptions, forEachFrame, numFrames, resolveFrameOptions } from './feature-window';
import { createPowerSpectrum } from './fft';
import { type MelOptions, melBanks } from './mel-banks';

/** Kaldi's `MfccOptions` (feat/feature-mfcc.h) in camelCase; defaults as Kaldi's except dither 0. */
export interface MfccOptions extends FrameOptions, MelOptions {
  /** Number of cepstra kept, C0 included; 13. */
  numCeps?: number;
  /** Replace C0 by the log energy; true. */
  useEnergy?: boolean;
  /** Compute the energy before pre-emphasis and windowing; true. */
  rawEnergy?: boolean;
  /** HTK layout: C0/energy last, and C0 scaled by √2 when useEnergy is false; false. */
  htkCompat?: boolean;
  /** Floor on the log energy as a linear value (0 = none); 0. */
  energyFloor?: number;
  /** Cepstral liftering coefficient Q (0 = none); 22. */
  cepstralLifter?: number;
}

const FLT_EPSILON = 1.1920928955078125e-7;

/**
 * MFCCs of `samples` (16-bit integer scale) exactly as Kaldi's `compute-mfcc-feats` computes them:
 * log mel energies, an orthonormal DCT-II, liftering 1 + Q/2 sin(πi/Q); frames × numCeps rows.
 */
export function mfcc(samples: ArrayLike<number>, options: MfccOptions = {}): Matrix {
  const fn = 'mfcc';
  const o = resolveFrameOptions(options, fn);
  const numBins = options.numMelBins ?? 23;
  const numCeps = options.numCeps ?? 13;
  if (!Number.isInteger(numCeps) || numCeps < 1 || numCeps > numBins) {
    throw new Error(`mfcc: option numCeps must be an integer in [1, numMelBins=${numBins}], got ${numCeps}`);
  }
  const bins = melBanks(
    numBins,
    options.lowFreq ?? 20,
    options.highFreq ?? 0,
    o.sampleFrequency,
    o.paddedWindowSize,
    fn,
  );
  const useEnergy = options.useEnergy ?? true;
  const rawEnergy = options.rawEnergy ?? true;
  const htk = options.htkCompat ?? false;
  const energyFloor = options.energyFloor ?? 0;
  if (!(energyFloor >= 0)) throw new Error(`mfcc: option energyFloor must be >= 0, got ${energyFloor}`);
  const lifter = options.cepstralLifter ?? 22;
  const logEnergyFloor = Math.log(energyFloor);
  // Kaldi ComputeDctMatrix: row k = sqrt((k ? 2 : 1) / N) cos(π/N (n + 0.5) k), first numCeps rows.
  const dct = new Float64Array(numCeps * numBins);
  for (let k = 0; k < numCeps; k++) {
    const norm = Math.sqrt((k === 0 ? 1 : 2) / numBins);
    for (let n = 0; n < numBins; n++)
      dct[k * numBins + n] = norm * Math.cos((Math.PI / numBins) * (n + 0.5) * k);
  }
  const lift = new Float64Array(numCeps);
  for (let i = 0; i < numCeps; i++)
    lift[i] = lifter !== 0 ? 1 + 0.5 * lifter * Math.sin((Math.PI * i) / lifter) : 1;
  const spectrum = createPowerSpectrum(o.paddedWindowSize, true);
  const power = new Float32Array((o.paddedWindowSize >> 1) + 1);
  const mel = new Float64Array(numBins);
  const ceps = new Float64Array(numCeps);
  const frames = numFrames(samples.length, o);
  const data = new Float32Array(frames * numCeps);
  forEachFrame(samples, o, (t, frame, rawLogEnergy) => {
    let logEnergy = rawLogEnergy;
    if (useEnergy && !rawEnergy) {
      let e = 0;
      for (let i = 0; i < frame.length; i++) e += frame[i]! * frame[i]!;
      logEnergy = Math.log(Math.max(e, FLT_EPSILON));
    }
    spectrum.compute(frame, power);
    for (let b = 0; b < numBins; b++) {
      const { offset, weights } = bins[b]!;
      let e = 0;
      for (let i = 0; i < weights.length; i++) e += weights[i]! * power[offset + i]!;
      e = Math.fround(e); // Kaldi's mel energies are float
      if (htk && e < 1) e = 1;
      mel[b] = Math.log(Math.max(e, FLT_EPSILON));
    }
    for (let k = 0; k < numCeps; k++) {
      let s = 0;
      for (let n = 0; n < numBins; n++) s += dct[k * numBins + n]! * mel[n]!;
      ceps[k] = s * lift[k]!;
    }
    if (useEnergy) {
      if (energyFloor > 0 && logEnergy < logEnergyFloor) logEnergy = logEnergyFloor;
      ceps[0] = logEnergy;
    }
    const row = t * numCeps;
    if (htk) {
      const energy = useEnergy ? ceps[0]! : ceps[0]! * Math.SQRT2;
      for (let i = 0; i < numCeps - 1; i++) data[row + i] = ceps[i + 1]!;
      data[row + numCeps - 1] = energy;
    } else {
      for (let i = 0; i < numCeps; i++) data[row + i] = ceps[i]!;
    }
  });
  return { rows: frames, cols: numCeps, data };
}

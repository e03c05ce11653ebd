// Triangular mel filters, following Kaldi feat/mel-computations.cc (MelBanks constructor).

/** Kaldi's mel options (`MelBanksOptions`), in camelCase with the same defaults. */
export interface MelOptions {
  /** Number of triangular mel bins; 23. */
  numMelBins?: number;
  /** Lowest frequency of the filters in Hz; 20. */
  lowFreq?: number;
  /** Highest frequency in Hz; 0 or negative means an offset from the Nyquist frequency; 0. */
  highFreq?: number;
}

/** One filter: the first FFT bin it covers and its weights from there on. */
export interface MelBin {
  /** First FFT bin with a non-zero weight. */
  offset: number;
  /** Weights of FFT bins offset, offset+1, … */
  weights: Float64Array;
}

/** Kaldi's mel scale: 1127 ln(1 + f / 700). */
export function melScale(freq: number): number {
  return 1127 * Math.log(1 + freq / 700);
}

/** Builds the mel filters for an FFT of `paddedWindowSize` points at `sampleFrequency` Hz. */
export function melBanks(
  numBins: number,
  lowFreq: number,
  highFreq: number,
  sampleFrequency: number,
  paddedWindowSize: number,
  fn: string,
): MelBin[] {
  if (!Number.isInteger(numBins) || numBins < 3) {
    throw new Error(`${fn}: option numMelBins must be an integer >= 3, got ${numBins}`);
  }
  const numFftBins = paddedWindowSize >> 1;
  const nyquist = 0.5 * sampleFrequency;
  const high = highFreq > 0 ? highFreq : nyquist + highFreq;
  if (lowFreq < 0 || lowFreq >= nyquist || high <= 0 || high > nyquist || high <= lowFreq) {
    throw new Error(
      `${fn}: bad mel range lowFreq ${lowFreq} Hz, highFreq ${highFreq} Hz (resolved ${high} Hz) at Nyquist ${nyquist} Hz; need 0 <= lowFreq < highFreq <= Nyquist`,
    );
  }
  // Kaldi computes the filters in float (BaseFloat, logf); near a triangle's edge a weight is a
  // difference of two close mel values, so float rounding shows, and we replay it exactly.
  const f = Math.fround;
  const melF = (freq: number) => f(1127 * f(Math.log(f(1 + f(freq / 700)))));
  const binWidth = f(f(sampleFrequency) / paddedWindowSize);
  const melLow = melF(f(lowFreq));
  const melHigh = melF(f(high));
  const delta = f(f(melHigh - melLow) / (numBins + 1));
  const bins: MelBin[] = [];
  for (let b = 0; b < numBins; b++) {
    const left = f(melLow + f(b * delta));
    const center = f(melLow + f((b + 1) * delta));
    const right = f(melLow + f((b + 2) * delta));
    let first = -1;
    let last = -1;
    const w = new Float64Array(numFftBins);
    for (let i = 0; i < numFftBins; i++) {
      const mel = melF(f(binWidth * i));
      if (mel > left && mel < right) {
        w[i] = mel <= center ? f(f(mel - left) / f(center - left)) : f(f(right - mel) / f(right - center));
        if (first === -1) first = i;
        last = i;
      }
    }
    if (first === -1) {
      throw new Error(
        `${fn}: mel bin ${b} of ${numBins} covers no FFT bin; use fewer mel bins or a longer frame`,
      );
    }
    bins.push({ offset: first, weights: w.slice(first, last + 1) });
  }
  return bins;
}

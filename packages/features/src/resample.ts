// Band-limited resampling by a Kaiser-windowed sinc (the method of torchaudio's `sinc_interp_kaiser`
// and resampy), with one precomputed filter per output phase since the rate ratio is rational.

/** Options of {@link resample}. */
export interface ResampleOptions {
  /** Zero crossings of the sinc on each side of the centre; 24. */
  lowpassFilterWidth?: number;
  /** Cutoff as a fraction of the lower Nyquist frequency; 0.945. */
  rolloff?: number;
  /** Kaiser window shape; 8.555 (about 80 dB stopband). */
  beta?: number;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (power series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/**
 * Resamples `samples` from `fromRate` to `toRate` Hz (positive integers) with a Kaiser-windowed
 * sinc low-pass at `rolloff` × the lower Nyquist frequency; output length is ceil(n · to / from).
 */
export function resample(
  samples: ArrayLike<number>,
  fromRate: number,
  toRate: number,
  options: ResampleOptions = {},
): Float32Array {
  for (const [name, v] of [
    ['fromRate', fromRate],
    ['toRate', toRate],
  ] as const) {
    if (!Number.isInteger(v) || v <= 0)
      throw new Error(`resample: ${name} must be a positive integer (Hz), got ${v}`);
  }
  const width = options.lowpassFilterWidth ?? 24;
  const rolloff = options.rolloff ?? 0.945;
  const beta = options.beta ?? 8.555;
  if (!(width >= 1)) throw new Error(`resample: option lowpassFilterWidth must be >= 1, got ${width}`);
  if (!(rolloff > 0 && rolloff <= 1))
    throw new Error(`resample: option rolloff must be in (0, 1], got ${rolloff}`);
  if (!(beta >= 0)) throw new Error(`resample: option beta must be >= 0, got ${beta}`);
  const n = samples.length;
  if (fromRate === toRate) return Float32Array.from(samples);
  const g = gcd(fromRate, toRate);
  const p = fromRate / g; // input samples per block
  const q = toRate / g; // output samples per block
  // cutoff in cycles per input sample: 0.5 · min(1, q/p) · rolloff
  const fc = 0.5 * Math.min(1, q / p) * rolloff;
  const half = width / (2 * fc); // filter half-length in input samples
  const k0 = Math.ceil(half);
  const taps = 2 * k0 + 1;
  const i0b = besselI0(beta);
  // phase r: output time = floor + r/q input samples; tap d covers input floor + d, d ∈ [-k0, k0]
  const table = new Float64Array(q * taps);
  for (let r = 0; r < q; r++) {
    const frac = r / q;
    for (let j = 0; j < taps; j++) {
      const tau = frac - (j - k0); // output time minus input time, in input samples
      if (Math.abs(tau) > half) continue;
      const x = 2 * fc * tau;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const u = tau / half;
      table[r * taps + j] = 2 * fc * sinc * (besselI0(beta * Math.sqrt(Math.max(0, 1 - u * u))) / i0b);
    }
  }
  const outLen = Math.ceil((n * q) / p);
  const out = new Float32Array(outLen);
  for (let m = 0; m < outLen; m++) {
    const num = m * p;
    const base = Math.floor(num / q);
    const r = num - base * q;
    const row = r * taps;
    const lo = base - k0;
    let s = 0;
    if (lo >= 0 && lo + taps <= n) {
      for (let j = 0; j < taps; j++) s += table[row + j]! * samples[lo + j]!;
    } else {
      for (let j = 0; j < taps; j++) {
        const i = lo + j;
        if (i >= 0 && i < n) s += table[row + j]! * samples[i]!;
      }
    }
    out[m] = s;
  }
  return out;
}

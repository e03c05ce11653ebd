// Plain TypeScript FFTs for feature extraction (the TF.js wasm backend has no FFT kernel).
import { KaldiPowerSpectrum } from './kaldi-fft';

/** In-place iterative radix-2 complex FFT of a fixed power-of-two size, with precomputed tables. */
class ComplexFft {
  readonly n: number;
  private readonly rev: Uint32Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;

  constructor(n: number) {
    if (n < 1 || (n & (n - 1)) !== 0) throw new Error(`ComplexFft: size ${n} is not a power of two`);
    this.n = n;
    this.rev = new Uint32Array(n);
    const bits = Math.round(Math.log2(n));
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.cos = new Float64Array(n / 2);
    this.sin = new Float64Array(n / 2);
    for (let i = 0; i < n / 2; i++) {
      this.cos[i] = Math.cos((2 * Math.PI * i) / n);
      this.sin[i] = -Math.sin((2 * Math.PI * i) / n);
    }
  }

  /** Forward transform (e^{-2πi jk/n}) of `re` + i `im`, in place. */
  forward(re: Float64Array, im: Float64Array): void {
    const n = this.n;
    const rev = this.rev;
    for (let i = 0; i < n; i++) {
      const j = rev[i]!;
      if (j > i) {
        const tr = re[i]!;
        re[i] = re[j]!;
        re[j] = tr;
        const ti = im[i]!;
        im[i] = im[j]!;
        im[j] = ti;
      }
    }
    const cos = this.cos;
    const sin = this.sin;
    for (let size = 2; size <= n; size <<= 1) {
      const half = size >> 1;
      const step = n / size;
      for (let start = 0; start < n; start += size) {
        for (let k = 0, t = 0; k < half; k++, t += step) {
          const a = start + k;
          const b = a + half;
          const wr = cos[t]!;
          const wi = sin[t]!;
          const br = re[b]!;
          const bi = im[b]!;
          const xr = br * wr - bi * wi;
          const xi = br * wi + bi * wr;
          const ar = re[a]!;
          const ai = im[a]!;
          re[a] = ar + xr;
          im[a] = ai + xi;
          re[b] = ar - xr;
          im[b] = ai - xi;
        }
      }
    }
  }
}

/** Computes |DFT(x)|² for bins 0..n/2 of a real frame of any length n (Kaldi `ComputePowerSpectrum`). */
export interface PowerSpectrum {
  /** Frame length n. */
  readonly n: number;
  /** Writes the n/2+1 power values of `frame` (length n, not modified) into `out`. */
  compute(frame: ArrayLike<number>, out: Float32Array | Float64Array): void;
}

/**
 * Creates a power-spectrum computer for real frames of length `n`: a half-size complex FFT for
 * powers of two, Bluestein's chirp-z algorithm otherwise (Kaldi uses a split-radix or mixed-radix FFT).
 */
export function createPowerSpectrum(n: number, kaldiExact = false): PowerSpectrum {
  if (!Number.isInteger(n) || n < 2)
    throw new Error(`createPowerSpectrum: frame length ${n} must be an integer >= 2`);
  if ((n & (n - 1)) !== 0) return bluestein(n);
  return kaldiExact && n >= 4 ? new KaldiPowerSpectrum(n) : realPow2(n);
}

function realPow2(n: number): PowerSpectrum {
  const m = n / 2;
  const fft = new ComplexFft(m);
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  const wr = new Float64Array(m);
  const wi = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    wr[k] = Math.cos((2 * Math.PI * k) / n);
    wi[k] = -Math.sin((2 * Math.PI * k) / n);
  }
  return {
    n,
    compute(frame, out) {
      for (let k = 0; k < m; k++) {
        re[k] = frame[2 * k]!;
        im[k] = frame[2 * k + 1]!;
      }
      fft.forward(re, im);
      // X[k] = E[k] + W^k O[k], with E = (Z[k] + conj Z[m-k]) / 2 and O = (Z[k] - conj Z[m-k]) / 2i.
      out[0] = (re[0]! + im[0]!) ** 2;
      out[m] = (re[0]! - im[0]!) ** 2;
      for (let k = 1; k < m; k++) {
        const zr = re[k]!;
        const zi = im[k]!;
        const cr = re[m - k]!;
        const ci = -im[m - k]!;
        const er = 0.5 * (zr + cr);
        const ei = 0.5 * (zi + ci);
        const dr = zr - cr;
        const di = zi - ci;
        const or = 0.5 * di;
        const oi = -0.5 * dr;
        const xr = er + wr[k]! * or - wi[k]! * oi;
        const xi = ei + wr[k]! * oi + wi[k]! * or;
        out[k] = xr * xr + xi * xi;
      }
    },
  };
}

function bluestein(n: number): PowerSpectrum {
  let l = 1;
  while (l < 2 * n - 1) l <<= 1;
  const fft = new ComplexFft(l);
  // chirp w[k] = e^{-iπ k²/n}; k² is reduced mod 2n to keep the angle accurate.
  const cr = new Float64Array(n);
  const ci = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const a = (Math.PI * ((k * k) % (2 * n))) / n;
    cr[k] = Math.cos(a);
    ci[k] = -Math.sin(a);
  }
  const br = new Float64Array(l);
  const bi = new Float64Array(l);
  br[0] = cr[0]!;
  bi[0] = -ci[0]!;
  for (let k = 1; k < n; k++) {
    br[k] = br[l - k] = cr[k]!;
    bi[k] = bi[l - k] = -ci[k]!;
  }
  fft.forward(br, bi);
  const ar = new Float64Array(l);
  const ai = new Float64Array(l);
  const half = Math.floor(n / 2);
  return {
    n,
    compute(frame, out) {
      ar.fill(0);
      ai.fill(0);
      for (let k = 0; k < n; k++) {
        ar[k] = frame[k]! * cr[k]!;
        ai[k] = frame[k]! * ci[k]!;
      }
      fft.forward(ar, ai);
      for (let k = 0; k < l; k++) {
        const xr = ar[k]! * br[k]! - ai[k]! * bi[k]!;
        const xi = ar[k]! * bi[k]! + ai[k]! * br[k]!;
        ar[k] = xr;
        ai[k] = -xi; // inverse FFT via conjugation
      }
      fft.forward(ar, ai);
      for (let k = 0; k <= half; k++) {
        const yr = ar[k]! / l;
        const yi = -ai[k]! / l;
        const xr = yr * cr[k]! - yi * ci[k]!;
        const xi = yr * ci[k]! + yi * cr[k]!;
        out[k] = xr * xr + xi * xi;
      }
    },
  };
}

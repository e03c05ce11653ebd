// Kaldi's split-radix real FFT (matrix/srfft.cc, after Malvar 1992) replayed in float32 arithmetic,
// operation by operation, so that power spectra match compute-fbank-feats to the last bits: Kaldi
// computes in float, and its rounding noise dominates weak bins of loud frames (a bin 60 dB below
// the frame's peak carries about 1e-3 relative float noise), so only the same operations in the
// same order reproduce its output within 1e-4.
import { glibcCosf, glibcSinf } from './glibc-sincosf';

const f = Math.fround;

/** Float32-exact replica of Kaldi's `SplitRadixRealFft` + `ComputePowerSpectrum` for size n = 2^k. */
export class KaldiPowerSpectrum {
  readonly n: number;
  private readonly logn: number; // log2 of the complex size n/2
  private readonly brseed: Int32Array;
  private readonly tab: Float32Array[] = [];
  private readonly xr: Float32Array;
  private readonly xi: Float32Array;
  private readonly rootRe: number;
  private readonly rootIm: number;

  constructor(n: number) {
    if (n < 4 || (n & (n - 1)) !== 0)
      throw new Error(`KaldiPowerSpectrum: size ${n} must be a power of two >= 4`);
    this.n = n;
    const nc = n / 2;
    let logn = 0;
    while (1 << logn < nc) logn++;
    this.logn = logn;
    let lg2 = logn >> 1;
    if (logn & 1) lg2++;
    this.brseed = new Int32Array(Math.max(2, 1 << lg2));
    this.brseed[0] = 0;
    this.brseed[1] = 1;
    for (let j = 2; j <= lg2; j++) {
      const imax = 1 << (j - 1);
      for (let i = 0; i < imax; i++) {
        this.brseed[i] = this.brseed[i]! << 1;
        this.brseed[i + imax] = this.brseed[i]! + 1;
      }
    }
    for (let i = 4; i <= logn; i++) {
      const m = 1 << i;
      const m4 = m / 4;
      const m8 = m / 8;
      const nel = m4 - 2;
      const t = new Float32Array(6 * nel);
      let k = 0;
      for (let j = 1; j < m4; j++) {
        if (j === m8) continue;
        // Kaldi keeps ang, c and s in float: ang = n * M_2PI / m, c = cosf(ang), s = sinf(ang) (glibc's)
        let ang = f((j * (2 * Math.PI)) / m);
        let c = glibcCosf(ang);
        let s = glibcSinf(ang);
        t[k] = c;
        t[nel + k] = -f(s + c);
        t[2 * nel + k] = f(s - c);
        ang = f((3 * j * (2 * Math.PI)) / m);
        c = glibcCosf(ang);
        s = glibcSinf(ang);
        t[3 * nel + k] = c;
        t[4 * nel + k] = -f(s + c);
        t[5 * nel + k] = f(s - c);
        k++;
      }
      this.tab[i - 4] = t;
    }
    this.xr = new Float32Array(nc);
    this.xi = new Float32Array(nc);
    // ComplexImExp(static_cast<float>(M_2PI / N * -1)): cosf/sinf of a float angle
    const ang = f((-2 * Math.PI) / n);
    this.rootRe = glibcCosf(ang);
    this.rootIm = glibcSinf(ang);
  }

  /** Writes the n/2+1 power values of the float frame `frame` (length n) into `out`. */
  compute(frame: ArrayLike<number>, out: Float32Array | Float64Array): void {
    const n = this.n;
    const nc = n / 2;
    const xr = this.xr;
    const xi = this.xi;
    for (let i = 0; i < nc; i++) {
      xr[i] = frame[2 * i]!;
      xi[i] = frame[2 * i + 1]!;
    }
    this.recursive(0, this.logn);
    if (this.logn > 1) {
      this.bitReverse(xr);
      this.bitReverse(xi);
    }
    // SplitRadixRealFft post-processing on the interleaved data[2k] = xr[k], data[2k+1] = xi[k]
    const re = xr;
    const im = xi;
    let kRe = 1;
    let kIm = 0;
    const rRe = this.rootRe;
    const rIm = this.rootIm;
    const n2 = nc;
    for (let k = 1; 2 * k <= n2; k++) {
      const tRe = f(f(kRe * rRe) - f(kIm * rIm));
      kIm = f(f(kRe * rIm) + f(kIm * rRe));
      kRe = tRe;
      const a = re[k]!;
      const b = im[k]!;
      const c = re[n2 - k]!;
      const d = im[n2 - k]!;
      const ckRe = f(0.5 * f(a + c));
      const ckIm = f(0.5 * f(b - d));
      const dkRe = f(0.5 * f(b + d));
      const dkIm = f(-0.5 * f(a - c));
      re[k] = f(ckRe + f(f(dkRe * kRe) - f(dkIm * kIm)));
      im[k] = f(ckIm + f(f(dkRe * kIm) + f(dkIm * kRe)));
      const kd = n2 - k;
      if (kd !== k) {
        // ComplexAddProduct(Dk_re, -Dk_im, -kN_re, kN_im)
        re[kd] = f(ckRe + f(f(dkRe * -kRe) - f(-dkIm * kIm)));
        im[kd] = f(-ckIm + f(f(dkRe * kIm) + f(-dkIm * -kRe)));
      }
    }
    const zeroth = f(re[0]! + im[0]!);
    const n2th = f(re[0]! - im[0]!);
    // ComputePowerSpectrum: data[0]², data[1]² (Nyquist), then re² + im² per bin
    out[0] = f(zeroth * zeroth);
    out[nc] = f(n2th * n2th);
    for (let i = 1; i < nc; i++) out[i] = f(f(re[i]! * re[i]!) + f(im[i]! * im[i]!));
  }

  private bitReverse(x: Float32Array): void {
    const logn = this.logn;
    const lg2 = logn >> 1;
    const n = 1 << lg2;
    const br = this.brseed;
    for (let off = 1; off < n; off++) {
      const fj = n * br[off]!;
      let i = off;
      let j = fj;
      let tmp = x[i]!;
      x[i] = x[j]!;
      x[j] = tmp;
      for (let gno = 1; gno < br[off]!; gno++) {
        i += n;
        j = fj + br[gno]!;
        tmp = x[i]!;
        x[i] = x[j]!;
        x[j] = tmp;
      }
    }
  }

  private recursive(o: number, logn: number): void {
    const xr = this.xr;
    const xi = this.xi;
    let t1: number;
    let t2: number;
    if (logn < 3) {
      if (logn === 2) {
        t1 = f(xr[o]! + xr[o + 2]!);
        xr[o + 2] = f(xr[o]! - xr[o + 2]!);
        xr[o] = t1;
        t1 = f(xi[o]! + xi[o + 2]!);
        xi[o + 2] = f(xi[o]! - xi[o + 2]!);
        xi[o] = t1;
        t1 = f(xr[o + 1]! + xr[o + 3]!);
        xr[o + 3] = f(xr[o + 1]! - xr[o + 3]!);
        xr[o + 1] = t1;
        t1 = f(xi[o + 1]! + xi[o + 3]!);
        xi[o + 3] = f(xi[o + 1]! - xi[o + 3]!);
        xi[o + 1] = t1;
        t1 = f(xr[o]! + xr[o + 1]!);
        xr[o + 1] = f(xr[o]! - xr[o + 1]!);
        xr[o] = t1;
        t1 = f(xi[o]! + xi[o + 1]!);
        xi[o + 1] = f(xi[o]! - xi[o + 1]!);
        xi[o] = t1;
        t1 = f(xr[o + 2]! + xi[o + 3]!);
        t2 = f(xi[o + 2]! + xr[o + 3]!);
        xi[o + 2] = f(xi[o + 2]! - xr[o + 3]!);
        xr[o + 3] = f(xr[o + 2]! - xi[o + 3]!);
        xr[o + 2] = t1;
        xi[o + 3] = t2;
      } else if (logn === 1) {
        t1 = f(xr[o]! + xr[o + 1]!);
        xr[o + 1] = f(xr[o]! - xr[o + 1]!);
        xr[o] = t1;
        t1 = f(xi[o]! + xi[o + 1]!);
        xi[o + 1] = f(xi[o]! - xi[o + 1]!);
        xi[o] = t1;
      }
      return;
    }
    const m = 1 << logn;
    const m2 = m / 2;
    const m4 = m2 / 2;
    const m8 = m4 / 2;
    // Step 1
    for (let k = 0; k < m2; k++) {
      const a = o + k;
      const b = a + m2;
      t1 = f(xr[a]! + xr[b]!);
      xr[b] = f(xr[a]! - xr[b]!);
      xr[a] = t1;
      t2 = f(xi[a]! + xi[b]!);
      xi[b] = f(xi[a]! - xi[b]!);
      xi[a] = t2;
    }
    // Step 2
    for (let k = 0; k < m4; k++) {
      const p1 = o + m2 + k;
      const p2 = p1 + m4;
      t1 = f(xr[p1]! + xi[p2]!);
      t2 = f(xi[p1]! + xr[p2]!);
      xi[p1] = f(xi[p1]! - xr[p2]!);
      xr[p2] = f(xr[p1]! - xi[p2]!);
      xr[p1] = t1;
      xi[p2] = t2;
    }
    // Steps 3 & 4
    const sq = f(Math.SQRT1_2);
    const tab = logn >= 4 ? this.tab[logn - 4]! : null;
    const nel = m4 - 2;
    let ti = 0;
    for (let k = 1; k < m4; k++) {
      const p1 = o + m2 + k;
      const p2 = p1 + m4;
      if (k === m8) {
        t1 = f(sq * f(xr[p1]! + xi[p1]!));
        xi[p1] = f(sq * f(xi[p1]! - xr[p1]!));
        xr[p1] = t1;
        t2 = f(sq * f(xi[p2]! - xr[p2]!));
        xi[p2] = f(-sq * f(xr[p2]! + xi[p2]!));
        xr[p2] = t2;
      } else {
        const t = tab!;
        t2 = f(t[ti]! * f(xr[p1]! + xi[p1]!));
        t1 = f(f(t[nel + ti]! * xr[p1]!) + t2);
        xr[p1] = f(f(t[2 * nel + ti]! * xi[p1]!) + t2);
        xi[p1] = t1;
        t2 = f(t[3 * nel + ti]! * f(xr[p2]! + xi[p2]!));
        t1 = f(f(t[4 * nel + ti]! * xr[p2]!) + t2);
        xr[p2] = f(f(t[5 * nel + ti]! * xi[p2]!) + t2);
        xi[p2] = t1;
        ti++;
      }
    }
    this.recursive(o, logn - 1);
    this.recursive(o + m2, logn - 2);
    this.recursive(o + 3 * (m / 4), logn - 2);
  }
}

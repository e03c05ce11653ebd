// glibc's sinf/cosf (sysdeps/ieee754/flt-32, 2018 Szabolcs Nagy; the generic non-FMA path), replayed
// in double arithmetic. They are not correctly rounded (up to 0.56 ulp), and Kaldi builds its FFT
// twiddle tables with them, so a float-exact FFT needs the same values, not Math.cos rounded.

/** A double from a hex mantissa `1.xxxx` (13 hex digits) and a binary exponent. */
function hexFloat(sign: 1 | -1, mantissa: string, exp: number): number {
  return sign * Number.parseInt(mantissa.replace('.', ''), 16) * 2 ** (exp - 4 * (mantissa.length - 2));
}

const HPI_INV = hexFloat(1, '1.45F306DC9C883', 23); // 2/π · 2^24, for the integer quadrant trick
const HPI = hexFloat(1, '1.921FB54442D18', 0); // π/2
const C0 = 1;
const C1 = hexFloat(-1, '1.ffffffd0c621c', -2);
const C2 = hexFloat(1, '1.55553e1068f19', -5);
const C3 = hexFloat(-1, '1.6c087e89a359d', -10);
const C4 = hexFloat(1, '1.99343027bf8c3', -16);
const S1 = hexFloat(-1, '1.555545995a603', -3);
const S2 = hexFloat(1, '1.1107605230bc4', -7);
const S3 = hexFloat(-1, '1.994eb3774cf24', -13);
const SIGN = [1, -1, -1, 1];

const view = new DataView(new ArrayBuffer(4));
function abstop12(x: number): number {
  view.setFloat32(0, x);
  return (view.getUint32(0) >>> 20) & 0x7ff;
}
const TOP_PIO4 = abstop12(hexFloat(1, '1.921FB54442D18', -1));
const TOP_TINY = abstop12(2 ** -12);
const TOP_120 = abstop12(120);

/** sinf_poly: the sine (n even) or cosine (n odd) polynomial; `neg` selects the negated cosine table. */
function poly(x: number, x2: number, n: number, neg: boolean): number {
  if ((n & 1) === 0) {
    const x3 = x * x2;
    const s1 = S2 + x2 * S3;
    const x7 = x3 * x2;
    const s = x + x3 * S1;
    return Math.fround(s + x7 * s1);
  }
  const k = neg ? -1 : 1;
  const x4 = x2 * x2;
  const c2 = k * C3 + x2 * (k * C4);
  const c1 = k * C0 + x2 * (k * C1);
  const x6 = x4 * x2;
  const c = c1 + x4 * (k * C2);
  return Math.fround(c + x6 * c2);
}

function reduceFast(x: number): [number, number] {
  const r = x * HPI_INV;
  const n = ((Math.trunc(r) | 0) + 0x800000) >> 24;
  return [x - n * HPI, n];
}

function sincos(y: number, wantCos: boolean): number {
  const yf = Math.fround(y);
  const top = abstop12(yf);
  if (top >= TOP_120 || !Number.isFinite(yf)) {
    throw new Error(`glibc sincosf: argument ${yf} outside the replicated range |x| < 120`);
  }
  if (top < TOP_PIO4) {
    if (top < TOP_TINY) return wantCos ? 1 : yf;
    return poly(yf, yf * yf, wantCos ? 1 : 0, false);
  }
  const [x, n] = reduceFast(yf);
  const s = SIGN[n & 3]!;
  return poly(x * s, x * x, wantCos ? n ^ 1 : n, (n & 2) !== 0);
}

/** glibc `cosf(x)` for float `x` with |x| < 120. */
export function glibcCosf(x: number): number {
  return sincos(x, true);
}

/** glibc `sinf(x)` for float `x` with |x| < 120. */
export function glibcSinf(x: number): number {
  return sincos(x, false);
}

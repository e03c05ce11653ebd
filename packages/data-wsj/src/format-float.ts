// C++ `ostream << float` at precision 7 (what Kaldi text arks hold, kaldi-io.h InitKaldiOutputStream):
// printf's %.7g with glibc's exact round-half-even, done on the float widened to double.

function roundHalfEvenDigits(x: number, sig: number): { digits: string; exp: number } {
  // toExponential rounds half away from zero; check for an exact tie with more digits.
  const long = Math.abs(x).toExponential(40);
  const [mant, e] = long.split('e') as [string, string];
  const all = mant.replace('.', '');
  let exp = Number(e);
  let keep = all.slice(0, sig);
  const rest = all.slice(sig);
  const up =
    rest[0]! > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || Number(keep.at(-1)) % 2 === 1));
  if (up) {
    const n = (BigInt(keep) + 1n).toString();
    if (n.length > sig) {
      keep = n.slice(0, sig);
      exp++;
    } else keep = n;
  }
  return { digits: keep, exp };
}

/** Formats `x` as C's `%.{precision}g` (default 7), e.g. 1.126188, -0.007552397, 1e-05, 1.234568e+07. */
export function formatG(x: number, precision = 7): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const sign = x < 0 ? '-' : '';
  const { digits, exp } = roundHalfEvenDigits(x, precision);
  if (exp < -4 || exp >= precision) {
    let m = digits[0]!;
    const frac = digits.slice(1).replace(/0+$/, '');
    if (frac) m += `.${frac}`;
    const ae = Math.abs(exp);
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
  }
  let s: string;
  if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1);
    const frac = digits.slice(exp + 1).replace(/0+$/, '');
    s = frac ? `${intPart}.${frac}` : intPart;
  } else {
    const frac = ('0'.repeat(-exp - 1) + digits).replace(/0+$/, '');
    s = `0.${frac}`;
  }
  return sign + s;
}

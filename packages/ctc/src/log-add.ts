// log(exp(a) + exp(b)) with -Infinity guards, for the decoders' probability merges.

/** log(exp(a) + exp(b)), exact when either is -Infinity. */
export function logAdd(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

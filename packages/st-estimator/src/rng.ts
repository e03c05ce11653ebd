import type { Rng, RngState } from './types';

const U32 = 2 ** 32;

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** splitmix32: spreads one seed over the four state words (never all zero). */
function seedWords(seed: number): [number, number, number, number] {
  // Fold the full double (integer and fractional parts) into 32 bits so distinct seeds differ.
  let h = (Math.floor(seed) >>> 0) ^ Math.floor((seed - Math.floor(seed)) * U32);
  const hi = Math.floor(Math.abs(seed) / U32) >>> 0;
  h = (h ^ Math.imul(hi, 0x9e3779b1)) >>> 0;
  const out: number[] = [];
  for (let i = 0; i < 4; i++) {
    h = (h + 0x9e3779b9) >>> 0;
    let z = h;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    out.push((z ^ (z >>> 16)) >>> 0);
  }
  if (!out.some((w) => w !== 0)) out[0] = 0x6d2b79f5;
  return out as [number, number, number, number];
}

function checkState(s: unknown): [number, number, number, number] {
  const words = (s as RngState | undefined)?.s;
  if (
    !Array.isArray(words) ||
    words.length !== 4 ||
    !words.every((w) => Number.isInteger(w) && w >= 0 && w < U32) ||
    words.every((w) => w === 0)
  ) {
    throw new Error(
      `Rng.setState: expected { s: [4 unsigned 32-bit integers, not all zero] }, got ${JSON.stringify(s)}`,
    );
  }
  return [words[0], words[1], words[2], words[3]] as [number, number, number, number];
}

/**
 * Creates a seedable generator (xoshiro128**, Blackman and Vigna 2018). Every sampling function
 * of this package takes one; none uses `Math.random`.
 */
export function createRng(seed: number): Rng {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new Error(`createRng: seed must be a finite number, got ${String(seed)}`);
  }
  let [a, b, c, d] = seedWords(seed);
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c = (c ^ a) >>> 0;
    d = (d ^ b) >>> 0;
    b = (b ^ c) >>> 0;
    a = (a ^ d) >>> 0;
    c = (c ^ t) >>> 0;
    d = rotl(d, 11);
    return result;
  };
  return {
    next: () => nextU32() / U32,
    nextInt(n: number): number {
      if (!Number.isInteger(n) || n <= 0 || n > U32) {
        throw new Error(`Rng.nextInt: n must be an integer in [1, 2^32], got ${String(n)}`);
      }
      // Rejection sampling: no modulo bias.
      const limit = U32 - (U32 % n);
      for (;;) {
        const x = nextU32();
        if (x < limit) return x % n;
      }
    },
    getState: () => ({ s: [a, b, c, d] }),
    setState(s: RngState): void {
      [a, b, c, d] = checkState(s);
    },
  };
}

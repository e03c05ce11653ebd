import { describe, expect, it } from 'vitest';
import { parseArpa } from './arpa-model';
import { lexiconBeamSearch, type WordHypothesis } from './lexicon-beam-search';
import { mulberry32 as rng } from './mulberry32';

const NEG = Number.NEGATIVE_INFINITY;
const lse = (a: number, b: number) =>
  a === NEG ? b : b === NEG ? a : Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));

/** ln p_ctc(labels | x) by the textbook alpha recursion over the blank-extended labels (blank 0). */
function ctcLogProb(lp: Float64Array, T: number, C: number, labels: readonly number[]): number {
  const ext = [0];
  for (const l of labels) ext.push(l, 0);
  const S = ext.length;
  let alpha = new Array<number>(S).fill(NEG);
  if (T === 0) return labels.length === 0 ? 0 : NEG;
  alpha[0] = lp[ext[0]!]!;
  if (S > 1) alpha[1] = lp[ext[1]!]!;
  for (let t = 1; t < T; t++) {
    const next = new Array<number>(S).fill(NEG);
    for (let s = 0; s < S; s++) {
      let a = alpha[s]!;
      if (s > 0) a = lse(a, alpha[s - 1]!);
      if (s > 1 && ext[s] !== 0 && ext[s] !== ext[s - 2]) a = lse(a, alpha[s - 2]!);
      next[s] = a + lp[t * C + ext[s]!]!;
    }
    alpha = next;
  }
  return S > 1 ? lse(alpha[S - 1]!, alpha[S - 2]!) : alpha[0]!;
}

/** Every word sequence whose shortest spelling fits in T frames, scored by the contract. */
function exhaustive(
  lp: Float64Array,
  T: number,
  C: number,
  lexicon: Map<string, number[][]>,
  score: (words: string[]) => { lm: number; extra: number },
): { words: string[]; score: number; acoustic: number }[] {
  const out: { words: string[]; score: number; acoustic: number }[] = [];
  const entries = [...lexicon];
  const minLen = (w: string) => Math.min(...lexicon.get(w)!.map((p) => p.length));
  const walk = (words: string[], budget: number) => {
    // Sum p_ctc over every choice of pronunciation for each word.
    let acoustic = NEG;
    const spell = (k: number, units: number[]) => {
      if (k === words.length) {
        acoustic = lse(acoustic, ctcLogProb(lp, T, C, units));
        return;
      }
      for (const p of lexicon.get(words[k]!)!) spell(k + 1, [...units, ...p]);
    };
    spell(0, []);
    const { lm, extra } = score(words);
    const s = acoustic + lm + extra;
    if (s > NEG) out.push({ words, score: s, acoustic });
    for (const [w] of entries) if (minLen(w) <= budget) walk([...words, w], budget - minLen(w));
  };
  walk([], T);
  return out.sort((a, b) => b.score - a.score);
}

/** Random log-softmax frames [1, T, C] (seeded). */
function frames(T: number, C: number, seed: number, spread = 3) {
  const r = rng(seed);
  const data = new Float64Array(T * C);
  for (let t = 0; t < T; t++) {
    let z = NEG;
    for (let c = 0; c < C; c++) {
      data[t * C + c] = spread * r();
      z = lse(z, data[t * C + c]!);
    }
    for (let c = 0; c < C; c++) data[t * C + c]! -= z;
  }
  return { data, shape: [1, T, C] as [number, number, number] };
}

const fromProbs = (rows: number[][]) => ({
  data: Float64Array.from(rows.flat().map(Math.log)),
  shape: [1, rows.length, rows[0]!.length] as [number, number, number],
});

// Five words of 1-3 units over units 1..3 (blank 0): B has two pronunciations, D repeats a unit
// inside the word, A and C start alike, and "A D" spells the same units as "C A" would not.
const LEXICON = new Map<string, number[][]>([
  ['A', [[1]]],
  ['B', [[2, 3], [3]]],
  ['C', [[1, 2]]],
  ['D', [[3, 3, 1]]],
  ['E', [[2, 1, 2]]],
]);

// A word bigram with back-off; "A C", "B A", "<s> D" and "E </s>" are listed, the rest backs off.
const BIGRAM = `\\data\\
ngram 1=7
ngram 2=6

\\1-grams:
-99\t<s>\t-0.3
-0.8\t</s>
-0.6\tA\t-0.2
-0.7\tB\t-0.4
-0.9\tC\t-0.1
-1.1\tD
-0.75\tE\t-0.5

\\2-grams:
-0.3\t<s>\tA
-0.5\t<s>\tD
-0.2\tA\tC
-0.25\tB\tA
-0.4\tC\t</s>
-0.15\tE\t</s>

\\end\\
`;

const WIDE = {
  beamWidth: 1_000_000,
  beamThreshold: Number.POSITIVE_INFINITY,
  pruneLogProb: Number.POSITIVE_INFINITY,
  recombine: false,
};

function expectSameAsExhaustive(got: WordHypothesis[], want: ReturnType<typeof exhaustive>, k: number) {
  expect(got.length).toBeGreaterThanOrEqual(Math.min(k, want.length));
  for (let i = 0; i < Math.min(k, want.length); i++) {
    expect(got[i]!.score).toBeCloseTo(want[i]!.score, 4);
    // Ties between sequences of equal score may come in either order; compare the set at ties.
    if (
      i + 1 < want.length &&
      Math.abs(want[i]!.score - want[i + 1]!.score) > 1e-9 &&
      (i === 0 || Math.abs(want[i]!.score - want[i - 1]!.score) > 1e-9)
    )
      expect(got[i]!.words).toEqual(want[i]!.words);
  }
}

describe('lexiconBeamSearch', () => {
  it('with a beam that keeps everything, equals an exhaustive search over word sequences (no LM)', () => {
    for (const [T, seed] of [
      [1, 1],
      [3, 2],
      [6, 3],
      [8, 4],
    ] as const) {
      const lp = frames(T, 4, seed);
      const want = exhaustive(lp.data, T, 4, LEXICON, (w) => ({ lm: 0, extra: 0.5 * w.length }));
      const [got] = lexiconBeamSearch(lp, [T], { lexicon: LEXICON, wordBonus: 0.5, nBest: 20, ...WIDE });
      expectSameAsExhaustive(got!, want, 20);
      for (const h of got!.slice(0, 20)) {
        const ref = want.find((x) => x.words.join(' ') === h.words.join(' '))!;
        expect(h.acousticLogProb).toBeCloseTo(ref.acoustic, 8);
        expect(h.lmLogProb).toBe(0);
      }
    }
  });

  it('with a word bigram (back-off included), equals an exhaustive search within 1e-4', () => {
    const lm = parseArpa(BIGRAM, 'bigram.arpa');
    for (const [T, seed] of [
      [2, 11],
      [5, 12],
      [7, 13],
      [9, 14],
    ] as const) {
      const lp = frames(T, 4, seed);
      const want = exhaustive(lp.data, T, 4, LEXICON, (w) => {
        const lmLp = lm.sentenceLogProb10(w) * Math.LN10;
        return { lm: 0.7 * lmLp, extra: -0.4 * w.length };
      });
      const [got] = lexiconBeamSearch(lp, [T], {
        lexicon: LEXICON,
        lm,
        lmWeight: 0.7,
        wordBonus: -0.4,
        nBest: 10,
        ...WIDE,
      });
      expectSameAsExhaustive(got!, want, 10);
      for (const h of got!) {
        expect(h.lmLogProb).toBeCloseTo(lm.sentenceLogProb10(h.words) * Math.LN10, 10);
        expect(h.score).toBeCloseTo(h.acousticLogProb + 0.7 * h.lmLogProb - 0.4 * h.words.length, 10);
      }
    }
  });

  it('at beam 16 finds the exhaustive best on peaky posteriors', () => {
    const lm = parseArpa(BIGRAM, 'bigram.arpa');
    const r = rng(7);
    let checked = 0;
    for (let seed = 0; seed < 8; seed++) {
      // Frames that spell a random word sequence, with blanks, at probability 0.85.
      const seq = Array.from({ length: 3 }, () => [...LEXICON.keys()][Math.floor(r() * 5)]!);
      const path = seq.flatMap((w) => [...LEXICON.get(w)![0]!.flatMap((u) => [u, 0])]);
      const T = Math.min(8, path.length);
      const rows = path.slice(0, T).map((k) => [0, 1, 2, 3].map((c) => (c === k ? 0.85 : 0.05)));
      const lp = fromProbs(rows);
      const want = exhaustive(lp.data, T, 4, LEXICON, (w) => ({
        lm: 0.5 * lm.sentenceLogProb10(w) * Math.LN10,
        extra: 0.2 * w.length,
      }));
      const opts = { lexicon: LEXICON, lm, lmWeight: 0.5, wordBonus: 0.2, beamWidth: 16 };
      const [got] = lexiconBeamSearch(lp, [T], { ...opts, recombine: false });
      expect(got![0]!.words).toEqual(want[0]!.words);
      // A finite beam may drop some alignments of the winner, never add any.
      expect(got![0]!.score).toBeLessThanOrEqual(want[0]!.score + 1e-9);
      expect(got![0]!.score).toBeGreaterThan(want[0]!.score - 0.1);
      // Recombination keeps one history per LM state and tree position: the same winner, and a
      // score that can only be lower (a merged-away history that comes back restarts its sum).
      const [merged] = lexiconBeamSearch(lp, [T], opts);
      expect(merged![0]!.words).toEqual(want[0]!.words);
      expect(merged![0]!.score).toBeLessThanOrEqual(want[0]!.score + 1e-9);
      checked++;
    }
    expect(checked).toBe(8);
  });

  it('sums the two pronunciations of a word (hand-worked)', () => {
    // Lexicon X = [1] or [2]. Two frames: p(blank) = 0.2, p(1) = 0.5, p(2) = 0.3.
    const lexicon = new Map([['X', [[1], [2]]]]);
    const lp = fromProbs([
      [0.2, 0.5, 0.3],
      [0.2, 0.5, 0.3],
    ]);
    const hyps = lexiconBeamSearch(lp, [2], { lexicon, nBest: 5, ...WIDE })[0]!;
    // p([1]) = 0.5*0.5 + 0.5*0.2 + 0.2*0.5 = 0.45; p([2]) = 0.09 + 0.06 + 0.06 = 0.21.
    const x = hyps.find((h) => h.words.join(' ') === 'X')!;
    expect(x.acousticLogProb).toBeCloseTo(Math.log(0.45 + 0.21), 12);
    // "X X": [1 1] needs 3 frames; [1 2] = .15, [2 1] = .15, [2 2] impossible: 0.5*0.3 + 0.3*0.5.
    const xx = hyps.find((h) => h.words.join(' ') === 'X X')!;
    expect(xx.acousticLogProb).toBeCloseTo(Math.log(0.3), 12);
    const empty = hyps.find((h) => h.words.length === 0)!;
    expect(empty.acousticLogProb).toBeCloseTo(Math.log(0.04), 12);
    expect(hyps.map((h) => h.words.join(' '))).toEqual(['X', 'X X', '']);
  });

  it('needs a blank between a unit repeated across a word boundary', () => {
    const lexicon = new Map([
      ['A', [[1]]],
      ['B', [[2]]],
    ]);
    // Two frames of unit 1: "A A" would need 1 _ 1, so it is impossible; "A" takes every path.
    const two = fromProbs([
      [0.1, 0.8, 0.1],
      [0.1, 0.8, 0.1],
    ]);
    const hyps = lexiconBeamSearch(two, [2], { lexicon, nBest: 10, ...WIDE })[0]!;
    expect(hyps.map((h) => h.words.join(' '))).not.toContain('A A');
    expect(hyps[0]!.words).toEqual(['A']);
    expect(hyps[0]!.acousticLogProb).toBeCloseTo(Math.log(0.64 + 0.08 + 0.08), 12);
    // With a blank frame between, "A A" wins: 1 _ 1 at 0.8 * 0.8 * 0.8 against "A" (1 1 1, 1 _ ., ...).
    const three = fromProbs([
      [0.1, 0.8, 0.1],
      [0.8, 0.1, 0.1],
      [0.1, 0.8, 0.1],
    ]);
    const best = lexiconBeamSearch(three, [3], { lexicon, ...WIDE })[0]![0]!;
    expect(best.words).toEqual(['A', 'A']);
    expect(best.acousticLogProb).toBeCloseTo(Math.log(0.8 * 0.8 * 0.8), 12);
  });

  it('returns the empty hypothesis for all-blank frames, with the LM sentence end', () => {
    const lm = parseArpa(BIGRAM, 'bigram.arpa');
    const lp = fromProbs([
      [0.9, 0.05, 0.03, 0.02],
      [0.9, 0.05, 0.03, 0.02],
    ]);
    const best = lexiconBeamSearch(lp, [2], { lexicon: LEXICON, lm, lmWeight: 0.5 })[0]![0]!;
    expect(best.words).toEqual([]);
    expect(best.acousticLogProb).toBeCloseTo(2 * Math.log(0.9), 12);
    // </s> after <s> is not a listed bigram: back-off of <s> (-0.3) plus P(</s>) (-0.8).
    expect(best.lmLogProb).toBeCloseTo((-0.3 - 0.8) * Math.LN10, 12);
    // Zero frames: only the empty hypothesis.
    const zero = lexiconBeamSearch(lp, [0], { lexicon: LEXICON, lm, lmWeight: 0.5, nBest: 3 })[0]!;
    expect(zero).toHaveLength(1);
    expect(zero[0]!.acousticLogProb).toBe(0);
  });

  it('scores an unlisted bigram by back-off (hand-worked)', () => {
    const lm = parseArpa(BIGRAM, 'bigram.arpa');
    // Frames spell 1 _ 3 _ 3 1: "A D" (D = 3 3 1) or "A B B A" (B = 3), the same units.
    const rows = [1, 0, 3, 0, 3, 1].map((k) => [0, 1, 2, 3].map((c) => (c === k ? 0.91 : 0.03)));
    const [hyps] = lexiconBeamSearch(fromProbs(rows), [6], { lexicon: LEXICON, lm, nBest: 50, ...WIDE });
    const ad = hyps!.find((h) => h.words.join(' ') === 'A D')!;
    // <s> A: listed, -0.3; A D: unlisted, bow(A) -0.2 + P(D) -1.1; D </s>: bow(D) = 0 + P(</s>) -0.8.
    expect(ad.lmLogProb).toBeCloseTo((-0.3 - 0.2 - 1.1 - 0.8) * Math.LN10, 12);
    const abba = hyps!.find((h) => h.words.join(' ') === 'A B B A')!;
    // <s> A -0.3; A B -0.2 - 0.7; B B -0.4 - 0.7; B A listed -0.25; A </s> -0.2 - 0.8.
    expect(abba.lmLogProb).toBeCloseTo((-0.3 - 0.9 - 1.1 - 0.25 - 1.0) * Math.LN10, 12);
    expect(hyps![0]!.words).toEqual(['A', 'D']);
  });

  it('keeps different word sequences with the same units apart', () => {
    const lexicon = new Map([
      ['A', [[1]]],
      ['B', [[2]]],
      ['AB', [[1, 2]]],
    ]);
    const lp = fromProbs([
      [0.1, 0.8, 0.1],
      [0.1, 0.1, 0.8],
    ]);
    const hyps = lexiconBeamSearch(lp, [2], { lexicon, wordBonus: 1, nBest: 10, ...WIDE })[0]!;
    const ab = hyps.find((h) => h.words.join(' ') === 'AB')!;
    const aThenB = hyps.find((h) => h.words.join(' ') === 'A B')!;
    expect(ab.acousticLogProb).toBeCloseTo(Math.log(0.64), 12);
    expect(aThenB.acousticLogProb).toBeCloseTo(Math.log(0.64), 12);
    expect(aThenB.score - ab.score).toBeCloseTo(1, 12);
    expect(hyps[0]!.words).toEqual(['A', 'B']);
  });

  it('never emits a word the LM does not know, unless unkScore scores it', () => {
    const lm = parseArpa('\\data\\\nngram 1=3\n\n\\1-grams:\n-99 <s>\n-0.5 </s>\n-0.5 A\n\n\\end\\\n');
    const lexicon = new Map([
      ['A', [[1]]],
      ['Z', [[2]]],
    ]);
    const lp = fromProbs([
      [0.05, 0.05, 0.9],
      [0.9, 0.05, 0.05],
    ]);
    const rejected = lexiconBeamSearch(lp, [2], { lexicon, lm, nBest: 10, ...WIDE })[0]!;
    for (const h of rejected) expect(h.words).not.toContain('Z');
    const [best] = lexiconBeamSearch(lp, [2], { lexicon, lm, unkScore: -1, ...WIDE })[0]!;
    expect(best!.words).toEqual(['Z']);
    expect(best!.lmLogProb).toBeCloseTo(-1 + -0.5 * Math.LN10, 12);
  });

  it('rejects a lexicon unit that is the blank or out of range, naming the word', () => {
    const lp = fromProbs([[0.5, 0.3, 0.2]]);
    expect(() => lexiconBeamSearch(lp, [1], { lexicon: new Map([['W', [[1, 0]]]]) })).toThrow(
      /lexiconBeamSearch: the lexicon spells "W" with unit 0/,
    );
    expect(() => lexiconBeamSearch(lp, [1], { lexicon: new Map([['V', [[3]]]]) })).toThrow(/"V" with unit 3/);
    expect(() => lexiconBeamSearch(lp, [1], { lexicon: new Map([['E', [[]]]]) })).toThrow(
      /"E" an empty pronunciation/,
    );
  });
});

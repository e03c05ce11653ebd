import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../../../test/temp-dir';
import { type ArpaModel, loadArpa, parseArpa } from './arpa-model';
import { estimatePhoneLm, PhoneLmError } from './phone-lm';
import { formatArpa, writeArpa } from './write-arpa';

// Worked by hand (see the comments in each test): sentences 1 2 | 1 3 | 2, bigram.
const TINY = [[1, 2], [1, 3], [2]];

/** The words a history can be followed by: every unigram except <s>. */
const successors = (lm: ArpaModel) => lm.vocabulary.filter((w) => w !== '<s>');

/** Every history of length < order that appears as an n-gram (plus the empty one). */
function histories(lm: ArpaModel): string[][] {
  const out: string[][] = [[]];
  for (let n = 0; n < lm.order - 1; n++) {
    for (const key of lm.ngrams[n]!.keys()) if (!key.endsWith('</s>')) out.push(key.split(' '));
  }
  return out;
}

/** Pseudo-random phone sequences with some structure (a noisy cycle) so longer histories repeat. */
function sequences(count: number, seed: number): number[][] {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const out: number[][] = [];
  for (let u = 0; u < count; u++) {
    const len = 1 + Math.floor(rand() * 12);
    const seq: number[] = [];
    let p = 1 + Math.floor(rand() * 6);
    for (let i = 0; i < len; i++) {
      p = rand() < 0.7 ? (p % 6) + 1 : 1 + Math.floor(rand() * 6);
      seq.push(p);
    }
    out.push(seq);
  }
  return out;
}

describe('estimatePhoneLm', () => {
  it('hard back-off (discount 0): maximum-likelihood bigrams and log10(0) back-off weights', () => {
    const lm = estimatePhoneLm(TINY, { order: 2 });
    // unigram counts of predicted words: 1:2, 2:2, 3:1, </s>:3 of 8
    expect(lm.logProb10([], '1')).toBeCloseTo(Math.log10(2 / 8), 12);
    expect(lm.logProb10([], '</s>')).toBeCloseTo(Math.log10(3 / 8), 12);
    // after 1: 2 once, 3 once; nothing else is possible
    expect(lm.logProb10(['1'], '2')).toBeCloseTo(Math.log10(0.5), 12);
    expect(lm.logProb10(['1'], '1')).toBe(Number.NEGATIVE_INFINITY);
    expect(lm.logProb10(['<s>'], '1')).toBeCloseTo(Math.log10(2 / 3), 12);
    const text = formatArpa(lm);
    expect(text).toMatch(/^-0\.60205999\t1\t-99$/m); // log10(1/4), bow log10(0)
    expect(text).toMatch(/^-0\.30103\t1\t2$/m);
  });

  it('absolute discounting: back-off weights as computed by hand and written in the ARPA file', () => {
    const lm = estimatePhoneLm(TINY, { order: 2, discount: 0.5 });
    // after 1 (count 2, 2 types): P(2|1) = P(3|1) = 0.25, left 0.5 over 1 - P(2) - P(3) = 0.625
    expect(lm.logProb10(['1'], '2')).toBeCloseTo(Math.log10(0.25), 12);
    expect(lm.ngrams[0]!.get('1')!.backoff10).toBeCloseTo(Math.log10(0.8), 12);
    expect(lm.logProb10(['1'], '</s>')).toBeCloseTo(Math.log10(0.8 * 0.375), 12);
    // after <s> (count 3: 1, 1, 2): left 1/3 over 1 - P(1) - P(2) = 0.5
    expect(lm.ngrams[0]!.get('<s>')!.backoff10).toBeCloseTo(Math.log10(2 / 3), 12);
    // after 2 (</s> twice): P = 0.75, bow 0.25 / 0.625 = 0.4; after 3: 0.5 / 0.625 = 0.8
    expect(lm.ngrams[0]!.get('2')!.backoff10).toBeCloseTo(Math.log10(0.4), 12);
    expect(lm.ngrams[0]!.get('3')!.backoff10).toBeCloseTo(Math.log10(0.8), 12);
    const text = formatArpa(lm);
    expect(text).toMatch(/^-0\.60205999\t1\t-0\.096910013$/m);
    expect(text).toMatch(/^-0\.60205999\t2\t-0\.39794001$/m);
    expect(text).toMatch(/^-0\.90308999\t3\t-0\.096910013$/m);
    expect(text).toMatch(/^-99\t<s>\t-0\.17609126$/m);
    expect(text).toContain('ngram 1=5\nngram 2=6\n');
    expect(text).toMatch(/^-0\.12493874\t2\t<\/s>$/m); // log10(0.75)
  });

  for (const [order, discount] of [
    [1, 0],
    [2, 0],
    [3, 0],
    [4, 0],
    [3, 0.3],
    [4, 0.6],
  ] as const) {
    it(`order ${order}, discount ${discount}: the probabilities of every history sum to 1`, () => {
      const lm = estimatePhoneLm(sequences(60, order * 7 + discount * 10), {
        order,
        discount,
        noPruneOrder: 2,
        minHistoryCount: 3,
      });
      const words = successors(lm);
      const hs = histories(lm);
      expect(hs.length).toBeGreaterThan(order === 1 ? 0 : 6);
      for (const h of hs) {
        let total = 0;
        for (const w of words) total += 10 ** lm.logProb10(h, w);
        expect(total, `history "${h.join(' ')}"`).toBeCloseTo(1, 10);
      }
    });
  }

  it('prunes rare long histories: their n-grams are absent and lookups use the kept suffix', () => {
    const data = sequences(80, 5);
    const full = estimatePhoneLm(data, { order: 3, minHistoryCount: 1 });
    const pruned = estimatePhoneLm(data, { order: 3, noPruneOrder: 2, minHistoryCount: 5 });
    expect(pruned.ngrams[2]!.size).toBeLessThan(full.ngrams[2]!.size);
    expect(pruned.ngrams[1]!.size).toBe(full.ngrams[1]!.size);
    // count every history of length 2 by hand; kept ones (>= 5) keep exactly their ML estimate
    const counts = new Map<string, number>();
    for (const s of data) {
      const w = ['<s>', ...s.map(String), '</s>'];
      for (let i = 2; i < w.length; i++) {
        const h = `${w[i - 2]} ${w[i - 1]}`;
        counts.set(h, (counts.get(h) ?? 0) + 1);
      }
    }
    for (const key of pruned.ngrams[2]!.keys()) {
      const h = key.split(' ').slice(0, 2).join(' ');
      expect(counts.get(h)!, key).toBeGreaterThanOrEqual(5);
      expect(pruned.ngrams[2]!.get(key)!.logProb10).toBeCloseTo(full.ngrams[2]!.get(key)!.logProb10, 12);
    }
    const rare = [...counts].find(([, c]) => c < 5)![0].split(' ');
    const w = [...pruned.ngrams[1]!.keys()].find((k) => k.startsWith(`${rare[1]} `))!.split(' ')[1]!;
    expect(pruned.logProb10(rare, w)).toBeCloseTo(pruned.logProb10([rare[1]!], w), 12);
  });

  it('keeps at most extraStates long histories, those of most likelihood gain (Kaldi num-extra-lm-states)', () => {
    const data = sequences(400, 11);
    const all = estimatePhoneLm(data, { order: 4, extraStates: Number.POSITIVE_INFINITY });
    const longHistories = (lm: ArpaModel) =>
      new Set([...lm.ngrams[3]!.keys()].map((k) => k.split(' ').slice(0, 3).join(' ')));
    const full = longHistories(all);
    expect(full.size).toBeGreaterThan(20);
    const pruned = estimatePhoneLm(data, { order: 4, extraStates: 10 });
    const kept = longHistories(pruned);
    expect(kept.size).toBe(10);
    for (const h of kept) expect(full.has(h)).toBe(true);
    // gain of a history = sum_w c(h, w) log(P(w | h) / P(w | suffix)), from the unpruned model
    const gain = (h: string) => {
      let g = 0;
      const words = h.split(' ');
      for (const [key] of all.ngrams[3]!) {
        if (!key.startsWith(`${h} `)) continue;
        const w = key.split(' ')[3]!;
        let c = 0;
        for (const seq of data) {
          const ws = ['<s>', ...seq.map(String), '</s>'];
          for (let i = 3; i < ws.length; i++) {
            if (ws[i] === w && ws[i - 3] === words[0] && ws[i - 2] === words[1] && ws[i - 1] === words[2])
              c++;
          }
        }
        g += c * Math.LN10 * (all.logProb10(words, w) - all.logProb10(words.slice(1), w));
      }
      return g;
    };
    const minKept = Math.min(...[...kept].map(gain));
    for (const h of full) if (!kept.has(h)) expect(gain(h)).toBeLessThanOrEqual(minKept + 1e-9);
    // still a proper distribution after every history
    for (const h of histories(pruned)) {
      let total = 0;
      for (const w of successors(pruned)) total += 10 ** pruned.logProb10(h, w);
      expect(total).toBeCloseTo(1, 9);
    }
  });

  it('round-trips through writeArpa / loadArpa (-Infinity as -99)', async () => {
    const lm = estimatePhoneLm(sequences(50, 9), {
      order: 3,
      discount: 0.2,
      noPruneOrder: 2,
      minHistoryCount: 2,
    });
    const dir = testTempDir('phone-lm-');
    const file = path.join(dir, 'phone_lm.arpa');
    await writeArpa(lm, file);
    const back = await loadArpa(file);
    expect(back.order).toBe(3);
    for (let n = 0; n < 3; n++) {
      expect([...back.ngrams[n]!.keys()].sort()).toEqual([...lm.ngrams[n]!.keys()].sort());
      for (const [key, v] of lm.ngrams[n]!) {
        const got = back.ngrams[n]!.get(key)!;
        const want = v.logProb10 === Number.NEGATIVE_INFINITY ? -99 : v.logProb10;
        expect(got.logProb10, key).toBeCloseTo(want, 7);
        expect(got.backoff10, key).toBeCloseTo(
          v.backoff10 === Number.NEGATIVE_INFINITY ? -99 : v.backoff10,
          7,
        );
      }
    }
    // and the text written is what formatArpa produces, parseable again
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(formatArpa(lm));
    expect(parseArpa(text).sentenceLogProb10(['1', '2'])).toBeCloseTo(lm.sentenceLogProb10(['1', '2']), 6);
  });

  it('rejects bad input with a message naming the argument', () => {
    expect(() => estimatePhoneLm([], {})).toThrow(PhoneLmError);
    expect(() => estimatePhoneLm([[1, -2]], { source: 'train/text' })).toThrow(
      /train\/text\[0\]\[1\] must be a non-negative integer class id, got -2/,
    );
    expect(() => estimatePhoneLm([[1]], { order: 0 })).toThrow(/options\.order/);
    expect(() => estimatePhoneLm([[1]], { discount: 1 })).toThrow(/options\.discount/);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ArpaModel, loadArpa } from './arpa-model';
import { perplexity } from './perplexity';
import { estimateWordLm, WordLmError } from './word-lm';
import { writeArpa } from './write-arpa';

const corpus = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../corpus/data');
const readText = (dir: string) =>
  readFileSync(path.join(corpus, dir, 'text'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => l.trim().split(/\s+/).slice(1));

/**
 * Interpolated modified Kneser-Ney written straight from Chen and Goodman (1998, eqs. 17 and 26)
 * with KenLM's conventions, evaluated recursively for any history, without back-off tables.
 */
function referenceKn(sentences: string[][], order: number) {
  const padded = sentences.map((s) => ['<s>', ...s, '</s>']);
  const count = (g: string[]) => {
    let c = 0;
    for (const s of padded)
      for (let i = 0; i + g.length <= s.length; i++) if (g.every((w, k) => s[i + k] === w)) c++;
    return c;
  };
  const types = new Map<string, string[]>(); // every n-gram seen, per order
  for (const s of padded)
    for (let i = 0; i < s.length; i++)
      for (let n = 1; n <= order && i + n <= s.length; n++)
        types.set(s.slice(i, i + n).join(' '), s.slice(i, i + n));
  const ofOrder = (n: number) => [...types.values()].filter((g) => g.length === n);
  // The adjusted count: raw at the top order or after <s>, else the number of distinct left words.
  const memo = new Map<string, number>();
  const adjusted = (g: string[]): number => {
    const key = g.join(' ');
    if (!memo.has(key)) {
      const left = ofOrder(g.length + 1).filter((x) => x.slice(1).join(' ') === key);
      memo.set(key, g.length === order || g[0] === '<s>' ? count(g) : new Set(left.map((x) => x[0])).size);
    }
    return memo.get(key)!;
  };
  const D = new Map<number, number[]>();
  for (let n = 1; n <= order; n++) {
    const t = [0, 0, 0, 0, 0];
    for (const g of ofOrder(n)) {
      const a = adjusted(g);
      if (g.join(' ') !== '<s>' && a <= 4) t[a]!++;
    }
    const y = t[1]! / (t[1]! + 2 * t[2]!);
    const d = [1 - (2 * y * t[2]!) / t[1]!, 2 - (3 * y * t[3]!) / t[2]!, 3 - (4 * y * t[4]!) / t[3]!];
    D.set(n, d.every((x, k) => x > 0 && x < k + 1) ? d : [0.5, 1, 1.5]);
  }
  const vocab = [
    ...ofOrder(1)
      .map((g) => g[0]!)
      .filter((w) => w !== '<s>'),
    '<unk>',
  ];
  const extensions = new Map<string, string[][]>();
  const p = (h: string[], w: string): number => {
    const n = h.length + 1;
    const hk = h.join(' ');
    if (!extensions.has(hk))
      extensions.set(
        hk,
        ofOrder(n).filter((g) => g.slice(0, -1).join(' ') === hk && g.join(' ') !== '<s>'),
      );
    const ext = extensions.get(hk)!;
    const lower = h.length === 0 ? 1 / vocab.length : p(h.slice(1), w);
    if (ext.length === 0) return lower; // an unseen history: all mass to the shorter one
    const d = D.get(n)!;
    const disc = (c: number) => d[Math.min(c, 3) - 1]!;
    const total = ext.reduce((s, g) => s + adjusted(g), 0);
    const gamma = ext.reduce((s, g) => s + disc(adjusted(g)), 0) / total;
    const c = types.has([...h, w].join(' ')) ? adjusted([...h, w]) : 0;
    return (c > 0 ? (c - disc(c)) / total : 0) + gamma * lower;
  };
  return {
    p,
    logProb10: (s: string[]) => {
      let lp = 0;
      const words = ['<s>', ...s, '</s>'];
      for (let i = 1; i < words.length; i++) {
        const w = vocab.includes(words[i]!) ? words[i]! : '<unk>';
        const h = words
          .slice(Math.max(0, i - order + 1), i)
          .map((x) => (x === '<s>' || vocab.includes(x) ? x : '<unk>'));
        lp += Math.log10(p(h, w));
      }
      return lp;
    },
  };
}

/** Sums P(w | h) over the vocabulary (<s> excluded) for every history of the model and the empty one. */
function contextSums(lm: ArpaModel): number[] {
  const vocab = lm.vocabulary.filter((w) => w !== '<s>');
  const histories: string[][] = [[]];
  for (let n = 0; n < lm.order - 1; n++)
    for (const key of lm.ngrams[n]!.keys()) if (!key.endsWith('</s>')) histories.push(key.split(' '));
  return histories.map((h) => vocab.reduce((s, w) => s + 10 ** lm.logProb10(h, w), 0));
}

describe('estimateWordLm', () => {
  // Sentences "a b", "a b", "b a": the toy corpus of the hand computation below.
  const toy = [
    ['a', 'b'],
    ['a', 'b'],
    ['b', 'a'],
  ];

  it('matches a bigram worked by hand (discount fallback 0.5, 1, 1.5)', () => {
    const lm = estimateWordLm(toy, { order: 2 });
    // Unigram adjusted counts a = b = </s> = 2 (two distinct left words each), total 6, D2 = 1:
    // u = 1/6 each, gamma = 3/6, uniform share 0.5 / 4 (a, b, </s>, <unk>).
    expect(10 ** lm.logProb10([], 'a')).toBeCloseTo(1 / 6 + 1 / 8, 12);
    expect(10 ** lm.logProb10([], '<unk>')).toBeCloseTo(1 / 8, 12);
    // After a: b twice (D2 = 1), </s> once (D1 = 0.5); total 3, gamma(a) = 1.5 / 3.
    expect(10 ** lm.logProb10(['a'], 'b')).toBeCloseTo(1 / 3 + 0.5 * (7 / 24), 12);
    expect(10 ** lm.logProb10(['a'], '</s>')).toBeCloseTo(0.5 / 3 + 0.5 * (7 / 24), 12);
    expect(10 ** lm.logProb10(['a'], 'a')).toBeCloseTo(0.5 * (7 / 24), 12);
    expect(10 ** lm.logProb10(['<s>'], 'a')).toBeCloseTo(1 / 3 + 0.5 * (7 / 24), 12);
    expect(10 ** lm.ngrams[0]!.get('a')!.backoff10).toBeCloseTo(0.5, 12);
  });

  it('gives distributions that sum to 1 after every history (toy and bundled corpus, order 3)', () => {
    for (const s of contextSums(estimateWordLm(toy, { order: 3 }))) expect(s).toBeCloseTo(1, 10);
    const lm = estimateWordLm(readText('train'), { order: 3 });
    const sums = contextSums(lm);
    expect(sums.length).toBeGreaterThan(1000);
    for (const s of sums) expect(s).toBeCloseTo(1, 10);
    const kn = estimateWordLm(readText('train'), { order: 2, smoothing: 'kneser-ney' });
    for (const s of contextSums(kn)) expect(s).toBeCloseTo(1, 10);
  });

  it('matches a direct recursive modified Kneser-Ney on held-out text (perplexity)', () => {
    const train = readText('train').slice(0, 300);
    const dev = readText('dev').slice(0, 40);
    const lm = estimateWordLm(train, { order: 3 });
    const ref = referenceKn(train, 3);
    let refLogProb = 0;
    for (const s of dev) {
      const want = ref.logProb10(s);
      expect(lm.sentenceLogProb10(s)).toBeCloseTo(want, 9);
      refLogProb += want;
    }
    const words = dev.reduce((n, s) => n + s.length, 0);
    const ppl = perplexity(lm, dev);
    expect(ppl.oov).toBe(0); // unseen words are <unk>
    expect(ppl.perplexity).toBeCloseTo(10 ** (-refLogProb / (words + dev.length)), 8);
    // The trigram beats the unigram on held-out text.
    expect(ppl.perplexity).toBeLessThan(perplexity(estimateWordLm(train, { order: 1 }), dev).perplexity);
  });

  it('round-trips through writeArpa and loadArpa', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'word-lm-'));
    try {
      const lm = estimateWordLm(readText('train'), { order: 3 });
      const file = path.join(dir, 'words.arpa');
      await writeArpa(lm, file);
      const back = await loadArpa(file);
      expect(back.order).toBe(3);
      expect(back.ngrams.map((t) => t.size)).toEqual(lm.ngrams.map((t) => t.size));
      for (let n = 0; n < 3; n++) {
        for (const [key, v] of lm.ngrams[n]!) {
          const w = back.ngrams[n]!.get(key)!;
          if (key !== '<s>') expect(w.logProb10).toBeCloseTo(v.logProb10, 6);
          expect(w.backoff10).toBeCloseTo(v.backoff10, 6);
        }
      }
      const dev = readText('dev');
      expect(perplexity(back, dev).perplexity).toBeCloseTo(perplexity(lm, dev).perplexity, 4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad arguments, naming them', () => {
    expect(() => estimateWordLm([])).toThrow(WordLmError);
    expect(() => estimateWordLm([['a', '<s>']])).toThrow(/sentences\[0\] holds "<s>"/);
    expect(() => estimateWordLm([['a b']], { source: 'text' })).toThrow(/text\[0\] holds "a b"/);
    expect(() => estimateWordLm(toy, { order: 0 })).toThrow(/options.order/);
    expect(() => estimateWordLm(toy, { smoothing: 'witten-bell' as never })).toThrow(/options.smoothing/);
  });
});

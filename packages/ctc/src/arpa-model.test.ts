import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArpaFormatError, loadArpa, parseArpa } from './arpa-model';

// A hand-made trigram model over phone ids; expected values are worked out by hand from the
// back-off rule P(w | h) = P*(w | h) if listed, else bow(h) + P(w | h minus its oldest word).
export const TRIGRAM = `some header text a toolkit writes

\\data\\
ngram 1=5
ngram 2=4
ngram 3=1

\\1-grams:
-99\t<s>\t-0.5
-0.6\t</s>
-0.4\t1\t-0.3
-0.7\t2\t-0.2
-1.0\t3

\\2-grams:
-0.2 <s> 1 -0.25
-0.3 1 2
-0.1 2 </s>
-0.5 1 1

\\3-grams:
-0.05 <s> 1 2

\\end\\
`;

describe('parseArpa / ArpaModel', () => {
  const lm = parseArpa(TRIGRAM, 'trigram.arpa');

  it('reads the order, the counts and the vocabulary', () => {
    expect(lm.order).toBe(3);
    expect(lm.ngrams.map((t) => t.size)).toEqual([5, 4, 1]);
    expect(lm.vocabulary.sort()).toEqual(['1', '2', '3', '</s>', '<s>']);
  });

  it('returns listed n-grams and backs off through one and two levels', () => {
    expect(lm.logProb10(['1'], '2')).toBeCloseTo(-0.3, 12);
    expect(lm.logProb10(['1'], '3')).toBeCloseTo(-0.3 - 1.0, 12);
    expect(lm.logProb10(['<s>'], '3')).toBeCloseTo(-0.5 - 1.0, 12);
    expect(lm.logProb10(['<s>', '1'], '2')).toBeCloseTo(-0.05, 12);
    expect(lm.logProb10(['<s>', '1'], '3')).toBeCloseTo(-0.25 - 0.3 - 1.0, 12);
    expect(lm.logProb10(['1', '1'], '1')).toBeCloseTo(-0.5, 12); // (1 1) has no back-off weight
    expect(lm.logProb10(['3'], '</s>')).toBeCloseTo(-0.6, 12);
  });

  it('scores sentences with <s> and </s>, and words outside the vocabulary as impossible', () => {
    expect(lm.sentenceLogProb10(['1', '2'])).toBeCloseTo(-0.2 - 0.05 - 0.1, 12);
    expect(lm.logProb10(['1'], '9')).toBe(Number.NEGATIVE_INFINITY);
  });

  it('as a TokenLanguageModel, chains natural-log scores through its states', () => {
    let s = lm.startState;
    let total = 0;
    for (const w of ['1', '2', '3']) {
      const r = lm.next(s, w);
      total += r.logProb;
      s = r.state;
    }
    total += lm.end(s);
    expect(total).toBeCloseTo(lm.sentenceLogProb10(['1', '2', '3']) * Math.LN10, 12);
    expect(lm.next(lm.startState, '1')).toEqual(lm.next(lm.startState, '1'));
  });

  it('maps unknown words to <unk> when the model has it', () => {
    const withUnk = parseArpa('\\data\\\nngram 1=3\n\n\\1-grams:\n-1 <unk>\n-0.5 a\n-0.3 </s>\n\n\\end\\\n');
    expect(withUnk.logProb10([], 'zzz')).toBe(-1);
    expect(withUnk.order).toBe(1);
  });

  it('loadArpa reads a file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'arpa-'));
    const file = path.join(dir, 'lm.arpa');
    writeFileSync(file, TRIGRAM);
    try {
      const m = await loadArpa(file);
      expect(m.logProb10(['<s>', '1'], '2')).toBeCloseTo(-0.05, 12);
      await expect(loadArpa(path.join(dir, 'missing.arpa'))).rejects.toThrow(/missing\.arpa/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseArpa errors name the source and the line', () => {
  const bad: [string, string, RegExp][] = [
    ['no \\data\\', 'hello\n', /x\.arpa:1: no \\data\\ section/],
    [
      'a count mismatch',
      TRIGRAM.replace('ngram 2=4', 'ngram 2=5'),
      /x\.arpa:\d+: \\data\\ declares 5 2-grams but the section holds 4/,
    ],
    ['a missing \\end\\', TRIGRAM.replace('\\end\\', ''), /expected "\\end\\"/],
    ['a bad probability', TRIGRAM.replace('-0.3 1 2', 'abc 1 2'), /x\.arpa:17: expected log10 probability/],
    ['a short line', TRIGRAM.replace('-0.3 1 2', '-0.3'), /x\.arpa:17: a 2-gram line needs/],
    ['a missing section', TRIGRAM.replace('\\3-grams:', '\\4-grams:'), /expected "\\3-grams:"/],
  ];
  for (const [what, text, message] of bad) {
    it(`rejects ${what}`, () => {
      expect(() => parseArpa(text, 'x.arpa')).toThrow(ArpaFormatError);
      expect(() => parseArpa(text, 'x.arpa')).toThrow(message);
    });
  }
});

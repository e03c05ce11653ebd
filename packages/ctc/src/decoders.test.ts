import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { parseArpa } from './arpa-model';
import { ctcLossFromLogProbs } from './ctc-loss';
import { greedyDecode } from './greedy-decode';
import { mulberry32 as rng } from './mulberry32';
import { prefixBeamSearch } from './prefix-beam-search';

/** log of per-frame probability rows, as a [1, T, C] typed-array input. */
const fromProbs = (rows: number[][]) => ({
  data: Float64Array.from(rows.flat().map(Math.log)),
  shape: [1, rows.length, rows[0]!.length] as [number, number, number],
});

/** Random posteriors [B, T, C] whose frames put >= 0.9 on one class (blank half the time). */
function peaky(B: number, T: number, C: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(B * T * C);
  for (let f = 0; f < B * T; f++) {
    const top = r() < 0.5 ? 0 : Math.floor(r() * C);
    const rest = Array.from({ length: C }, () => r());
    const s = rest.reduce((a, b) => a + b, 0) - rest[top]!;
    for (let c = 0; c < C; c++) out[f * C + c] = Math.log(c === top ? 0.92 : (0.08 * rest[c]!) / s);
  }
  return out;
}

describe('greedyDecode', () => {
  it('collapses repeats and drops blanks (hand-worked)', () => {
    // arg-max path: _ a a _ a b b _  ->  a a b
    const rows = [0, 1, 1, 0, 1, 2, 2, 0].map((k) => [0, 1, 2].map((c) => (c === k ? 0.8 : 0.1)));
    expect(greedyDecode(fromProbs(rows), [8])).toEqual([[1, 1, 2]]);
    expect(greedyDecode(fromProbs(rows), [3])).toEqual([[1]]);
  });

  it('honours a blank at the last index and reads a Tensor3D', () => {
    const rows = [2, 0, 2, 0, 0, 1].map((k) => [0, 1, 2].map((c) => (c === k ? 0.8 : 0.1)));
    const x = tf.log(tf.tensor3d(rows.flat(), [1, 6, 3])) as tf.Tensor3D;
    // arg-max path (blank = 2): _ 0 _ 0 0 1  ->  0 0 1
    expect(greedyDecode(x, [6], { blank: 2 })).toEqual([[0, 0, 1]]);
    x.dispose();
  });

  it('rejects bad lengths and NaN, naming the utterance', () => {
    const lp = { data: new Float32Array(2 * 3 * 2), shape: [2, 3, 2] as [number, number, number] };
    expect(() => greedyDecode(lp, [3, 4])).toThrow(
      /greedyDecode: inputLengths\[1\] must be an integer in \[0, 3\], got 4/,
    );
    lp.data[3 * 2 + 2 * 2] = Number.NaN;
    expect(() => greedyDecode(lp, [3, 3])).toThrow(/utterance 1 hold NaN at frame 2, class 0/);
  });
});

describe('prefixBeamSearch', () => {
  it('sums alignments where greedy cannot (hand-worked: 2 frames, p(blank) = 0.6, p(a) = 0.4)', () => {
    const lp = fromProbs([
      [0.6, 0.4],
      [0.6, 0.4],
    ]);
    expect(greedyDecode(lp, [2])).toEqual([[]]);
    const [hyps] = prefixBeamSearch(lp, [2], { beamWidth: 4 });
    // P(a) = aa + a_ + _a = 0.16 + 0.24 + 0.24; P() = 0.36.
    expect(hyps![0]!.tokens).toEqual([1]);
    expect(hyps![0]!.acousticLogProb).toBeCloseTo(Math.log(0.64), 12);
    expect(hyps![1]!.tokens).toEqual([]);
    expect(hyps![1]!.acousticLogProb).toBeCloseTo(Math.log(0.36), 12);
  });

  it('with a beam wide enough to keep every prefix, scores each hypothesis by its CTC probability', () => {
    const B = 2;
    const T = 5;
    const C = 4;
    const r = rng(5);
    const logits = tf.tensor3d(
      Array.from({ length: B * T * C }, () => 2 * r()),
      [B, T, C],
    );
    const lp = tf.logSoftmax(logits) as tf.Tensor3D;
    const nbest = prefixBeamSearch(lp, [5, 4], { beamWidth: 10_000, nBest: 6 });
    for (let b = 0; b < B; b++) {
      for (const h of nbest[b]!) {
        const one = tf.slice(lp, [b, 0, 0], [1, T, C]);
        const loss = ctcLossFromLogProbs(one, [h.tokens], [[5, 4][b]!], { reduction: 'sum' });
        expect(h.acousticLogProb).toBeCloseTo(-loss.dataSync()[0]!, 4);
        tf.dispose([one, loss]);
      }
    }
    tf.dispose([logits, lp]);
  });

  it('with beam 1 equals greedy decoding on peaky posteriors', () => {
    const B = 20;
    const T = 40;
    const C = 6;
    const lp = { data: peaky(B, T, C, 9), shape: [B, T, C] as [number, number, number] };
    const lengths = Array.from({ length: B }, (_, b) => T - (b % 7));
    const greedy = greedyDecode(lp, lengths);
    const beam = prefixBeamSearch(lp, lengths, { beamWidth: 1 });
    expect(beam.map((h) => h[0]!.tokens)).toEqual(greedy);
    expect(greedy.some((g) => g.length > 5)).toBe(true);
  });

  it('keeps each prefix once: n-best lists hold distinct sequences, scores sorted', () => {
    const B = 4;
    const T = 60;
    const C = 5;
    const r = rng(21);
    const raw = Array.from({ length: B * T * C }, () => 3 * r());
    const lp = tf.logSoftmax(tf.tensor3d(raw, [B, T, C])) as tf.Tensor3D;
    for (const hyps of prefixBeamSearch(lp, [60, 60, 45, 30], { beamWidth: 16 })) {
      expect(hyps).toHaveLength(16);
      expect(new Set(hyps.map((h) => h.tokens.join(','))).size).toBe(16);
      for (let k = 1; k < hyps.length; k++) expect(hyps[k]!.score).toBeLessThanOrEqual(hyps[k - 1]!.score);
    }
    lp.dispose();
  });

  it('an LM that forbids a token keeps it out of the result', () => {
    // Token 3 dominates frame 2, but the phone LM has no unigram for it (and no <unk>).
    const rows = [
      [0.1, 0.8, 0.05, 0.05],
      [0.8, 0.1, 0.05, 0.05],
      [0.05, 0.05, 0.1, 0.8],
      [0.8, 0.05, 0.1, 0.05],
    ];
    const lm = parseArpa(
      '\\data\\\nngram 1=4\n\n\\1-grams:\n-99 <s>\n-0.5 </s>\n-0.5 1\n-0.5 2\n\n\\end\\\n',
    );
    const lp = fromProbs(rows);
    expect(prefixBeamSearch(lp, [4], { beamWidth: 4 })[0]![0]!.tokens).toEqual([1, 3]);
    const withLm = prefixBeamSearch(lp, [4], { beamWidth: 4, lm, lmWeight: 0.5 })[0]!;
    expect(withLm[0]!.tokens).toEqual([1, 2]);
    for (const h of withLm) expect(h.tokens).not.toContain(3);
    // The LM part of the score is the sentence's probability, <s> and </s> included.
    expect(withLm[0]!.lmLogProb).toBeCloseTo(lm.sentenceLogProb10(['1', '2']) * Math.LN10, 12);
    expect(withLm[0]!.score).toBeCloseTo(withLm[0]!.acousticLogProb + 0.5 * withLm[0]!.lmLogProb, 12);
  });

  it('maps classes to LM words through a vocabulary and applies the insertion bonus', () => {
    const lm = parseArpa(
      '\\data\\\nngram 1=4\n\n\\1-grams:\n-99 <s>\n-0.5 </s>\n-0.5 AA\n-0.5 B\n\n\\end\\\n',
    );
    const lp = fromProbs([
      [0.2, 0.7, 0.1],
      [0.6, 0.1, 0.3],
    ]);
    const [hyps] = prefixBeamSearch(lp, [2], {
      beamWidth: 8,
      lm,
      vocabulary: ['<blk>', 'AA', 'B'],
      insertionBonus: 2,
    });
    const best = hyps![0]!;
    expect(best.score).toBeCloseTo(best.acousticLogProb + best.lmLogProb + 2 * best.tokens.length, 12);
    expect(best.tokens.length).toBeGreaterThan(0);
  });
});

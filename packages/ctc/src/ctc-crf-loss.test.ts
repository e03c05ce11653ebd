import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends, useBackend } from '../../../test/backends';
import { type ArpaModel, parseArpa } from './arpa-model';
import { ctcCrfForwardBackward, ctcCrfLoss } from './ctc-crf-loss';
import { crfForwardBackward } from './ctc-crf-utterance';
import type { CtcBatch } from './ctc-forward-backward';
import { CtcInputError, ctcLoss } from './ctc-loss';
import { denominatorForwardBackward } from './denominator-forward-backward';
import { buildDenominatorGraph, DenominatorGraphError } from './denominator-graph';
import { denominatorLayout } from './denominator-layout';
import { mulberry32 as rng } from './mulberry32';
import { estimatePhoneLm } from './phone-lm';
import { formatArpa } from './write-arpa';

function randomLogits(B: number, T: number, C: number, seed: number, scale = 2): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: B * T * C }, () => (r() - 0.5) * 2 * scale);
}

const logAddExp = (a: number, b: number) =>
  a === -Infinity ? b : b === -Infinity ? a : Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));

/**
 * Brute force over all C^L frame labellings of utterance b: the log-sum of exp(sum of log-softmax
 * scores + LM weight of the collapsed labelling) over all of them (the denominator) and over those
 * that collapse to `target` without the LM (the CTC numerator). The LM weight comes from the
 * ArpaModel's own back-off lookup, not from the graph under test.
 */
function bruteForce(
  data: Float64Array,
  T: number,
  C: number,
  b: number,
  L: number,
  lm: ArpaModel,
  target: number[],
  blank = 0,
): { den: number; ctcNum: number } {
  const logp = new Float64Array(L * C);
  for (let t = 0; t < L; t++) {
    const o = (b * T + t) * C;
    let s = -Infinity;
    for (let c = 0; c < C; c++) s = logAddExp(s, data[o + c]!);
    for (let c = 0; c < C; c++) logp[t * C + c] = data[o + c]! - s;
  }
  let den = -Infinity;
  let ctcNum = -Infinity;
  const path = new Array<number>(L).fill(0);
  const lmCache = new Map<string, number>();
  for (let n = 0; n < C ** L; n++) {
    let k = n;
    let score = 0;
    for (let t = 0; t < L; t++) {
      path[t] = k % C;
      k = Math.floor(k / C);
      score += logp[t * C + path[t]!]!;
    }
    const labels: number[] = [];
    for (let t = 0; t < L; t++)
      if (path[t] !== blank && (t === 0 || path[t] !== path[t - 1])) labels.push(path[t]!);
    const key = labels.join(' ');
    let lmw = lmCache.get(key);
    if (lmw === undefined) {
      lmw = lm.sentenceLogProb10(labels.map(String)) * Math.LN10;
      lmCache.set(key, lmw);
    }
    den = logAddExp(den, score + lmw);
    if (key === target.join(' ')) ctcNum = logAddExp(ctcNum, score);
  }
  return { den, ctcNum };
}

/** LM training data over classes 1..3 (class 0 is the blank). */
const LM_DATA = [[1, 2, 3], [1, 2], [2, 3, 3, 1], [3, 1, 2, 2], [1], [2, 1, 3], [1, 3, 2, 1]];

describe('ctcCrfLoss against brute force', () => {
  const cases = [
    { name: 'unigram LM, one-state graph', order: 1, discount: 0 },
    { name: 'bigram, hard back-off', order: 2, discount: 0 },
    { name: 'trigram, hard back-off', order: 3, discount: 0 },
    { name: 'trigram, discounted (real back-off weights)', order: 3, discount: 0.4 },
  ];
  const C = 4;
  const T = 6;
  const targets = [[1, 2], [3, 1, 2], [2, 1], [1]];
  const lengths = [6, 5, 4, 6];
  for (const { name, order, discount } of cases) {
    it(`${name}: denominator = log-sum over all labellings; numerator = CTC score + LM weight`, () => {
      const lm = estimatePhoneLm(LM_DATA, { order, discount, minHistoryCount: 1 });
      const graph = buildDenominatorGraph(lm, { numClasses: C });
      if (order === 1) {
        expect(graph.numLmStates).toBe(1);
        expect(graph.arcFrom.length).toBe(3);
      }
      const data = randomLogits(targets.length, T, C, 17 + order);
      const lambda = 0.25;
      const parts = ctcCrfForwardBackward(
        data,
        [targets.length, T, C],
        targets,
        lengths,
        graph,
        lambda,
        false,
      );
      const logSpace = denominatorForwardBackward(data, [targets.length, T, C], lengths, graph, {
        method: 'log',
      });
      for (let b = 0; b < targets.length; b++) {
        const want = bruteForce(data, T, C, b, lengths[b]!, lm, targets[b]!);
        const lmw = lm.sentenceLogProb10(targets[b]!.map(String)) * Math.LN10;
        expect(parts.den[b], `den ${b}`).toBeCloseTo(want.den, 10);
        expect(logSpace.logZ[b], `log-space den ${b}`).toBeCloseTo(want.den, 10);
        expect(-parts.ctc[b]!, `ctc ${b}`).toBeCloseTo(want.ctcNum, 10);
        expect(parts.lm[b], `lm ${b}`).toBeCloseTo(lmw, 12);
        expect(parts.loss[b], `loss ${b}`).toBeCloseTo(
          -(want.ctcNum + lmw - want.den) - lambda * want.ctcNum,
          9,
        );
        expect(parts.loss[b]!).toBeGreaterThan(0);
      }
    });
  }

  it('a graph rebuilt from the written ARPA file (-99 for log10(0)) matches the in-memory one', () => {
    for (const discount of [0, 0.3]) {
      const lm = estimatePhoneLm(LM_DATA, { order: 3, discount, minHistoryCount: 1 });
      const a = buildDenominatorGraph(lm, { numClasses: 4 });
      const b = buildDenominatorGraph(parseArpa(formatArpa(lm)), { numClasses: 4 });
      expect([b.numLmStates, b.numLabelStates, b.arcFrom.length]).toEqual([
        a.numLmStates,
        a.numLabelStates,
        a.arcFrom.length,
      ]);
      // state and arc numbering follow the table order, which the file sorts
      const sorted = (x: Float64Array) => Float64Array.from(x).sort();
      expect(sorted(b.arcLogProb)).toBeAllclose(sorted(a.arcLogProb), { rtol: 1e-7, atol: 1e-7 });
      expect(sorted(b.finalLogProb)).toBeAllclose(sorted(a.finalLogProb), { rtol: 1e-7, atol: 1e-7 });
      for (const t of [[1, 2, 3], [3, 3, 1], [2]])
        expect(b.sequenceLogProb(t)).toBeCloseTo(a.sequenceLogProb(t), 6);
    }
  });

  it('a zero-frame utterance with an empty target scores log P(</s> | <s>) on both sides', () => {
    const lm = estimatePhoneLm([[], [1, 2]], { order: 2 });
    const graph = buildDenominatorGraph(lm, { numClasses: 3 });
    const parts = ctcCrfForwardBackward(new Float64Array(3 * 2), [1, 2, 3], [[]], [0], graph, 0.1, true);
    expect(parts.den[0]).toBeCloseTo(Math.log(0.5), 12);
    expect(parts.lm[0]).toBeCloseTo(Math.log(0.5), 12);
    expect(parts.loss[0]).toBeCloseTo(0, 12);
  });
});

describe('ctcCrfLoss gradient', () => {
  for (const order of [1, 2, 3]) {
    it(`matches central finite differences in float64 (T 5, C 4, LM order ${order}, lambda 0.1)`, () => {
      const lm = estimatePhoneLm(LM_DATA, { order, discount: order === 3 ? 0.3 : 0, minHistoryCount: 1 });
      const graph = buildDenominatorGraph(lm, { numClasses: 4 });
      const B = 2;
      const T = 5;
      const C = 4;
      const targets = [
        [1, 2],
        [3, 1],
      ];
      const lengths = [5, 4];
      const data = randomLogits(B, T, C, 100 + order);
      const { grad } = ctcCrfForwardBackward(data, [B, T, C], targets, lengths, graph, 0.1, true);
      const h = 1e-5;
      const total = (x: Float64Array) => {
        const p = ctcCrfForwardBackward(x, [B, T, C], targets, lengths, graph, 0.1, false);
        return p.loss[0]! + p.loss[1]!;
      };
      const fd = new Float64Array(data.length);
      for (let i = 0; i < data.length; i++) {
        const x = Float64Array.from(data);
        x[i] = data[i]! + h;
        const up = total(x);
        x[i] = data[i]! - h;
        fd[i] = (up - total(x)) / (2 * h);
      }
      expect(grad!).toBeAllclose(fd, { rtol: 1e-4, atol: 2e-6 });
      // padding frame of utterance 1 has no gradient, and some entry is far from zero
      for (let c = 0; c < C; c++) expect(grad![(T + 4) * C + c]).toBe(0);
      expect(Math.max(...Array.from(grad!, Math.abs))).toBeGreaterThan(0.05);
    });
  }

  it('log-space and scaled recursions agree on a 4-gram graph (T 40, C 8) in value and occupancy', () => {
    const r = rng(3);
    const seqs = Array.from({ length: 200 }, () =>
      Array.from({ length: 3 + Math.floor(r() * 10) }, () => 1 + Math.floor(r() * 7)),
    );
    const graph = buildDenominatorGraph(estimatePhoneLm(seqs, { order: 4, minHistoryCount: 2 }), {
      numClasses: 8,
    });
    expect(graph.numLmStates).toBeGreaterThan(50);
    const data = randomLogits(3, 40, 8, 5, 4);
    const lengths = [40, 33, 7];
    const fast = denominatorForwardBackward(data, [3, 40, 8], lengths, graph);
    const slow = denominatorForwardBackward(data, [3, 40, 8], lengths, graph, { method: 'log' });
    expect(fast.logSpaceFallbacks).toBe(0);
    expect(fast.logZ).toBeAllclose(slow.logZ, { rtol: 1e-10, atol: 1e-9 });
    expect(fast.occupancy!).toBeAllclose(slow.occupancy!, { rtol: 1e-5, atol: 1e-6 });
    // occupancies are posteriors: each live frame sums to 1
    for (let t = 0; t < 33; t++) {
      let s = 0;
      for (let c = 0; c < 8; c++) s += fast.occupancy![(40 + t) * 8 + c]!;
      expect(s).toBeCloseTo(1, 5);
    }
  });

  it('falls back to log space when every allowed path is thousands of nats down, with the same answer', () => {
    const graph = buildDenominatorGraph(estimatePhoneLm(LM_DATA, { order: 2 }), { numClasses: 4 });
    // frames say "1 1 _ 1 1 1": the labels "1 1", which the hard-back-off bigram forbids (LM_DATA
    // never has them), so every allowed path takes a class 3000 nats down: exp underflows to 0
    const data = new Float64Array(6 * 4);
    for (let t = 0; t < 6; t++) data[t * 4 + (t === 2 ? 0 : 1)] = 3000;
    const res = denominatorForwardBackward(data, [1, 6, 4], [6], graph);
    const ref = denominatorForwardBackward(data, [1, 6, 4], [6], graph, { method: 'log' });
    expect(res.logSpaceFallbacks).toBe(1);
    expect(ref.logZ[0]).toBeLessThan(-3000);
    expect(res.logZ[0]).toBe(ref.logZ[0]);
    expect(res.occupancy!).toBeAllclose(ref.occupancy!, { rtol: 1e-6, atol: 1e-7 });
    // the posterior leaves class 1 at frames 1-3, where the forbidden "1 1" must be broken
    expect(res.occupancy![1 * 4 + 1]).toBeLessThan(0.95);
  });

  it('agrees with log space in loss and gradient on long utterances with sharp logits (T 600)', () => {
    // 600 frames of logits in [-15, 15]: per-frame posteriors near one-hot, path scores spanning
    // thousands of nats; the scaled recursion must neither underflow nor drift from the exact one.
    const r = rng(11);
    const seqs = Array.from({ length: 300 }, () =>
      Array.from({ length: 3 + Math.floor(r() * 12) }, () => 1 + Math.floor(r() * 9)),
    );
    const C = 10;
    const graph = buildDenominatorGraph(estimatePhoneLm(seqs, { order: 4 }), { numClasses: C });
    expect(graph.numLmStates).toBeGreaterThan(100);
    const T = 600;
    const data = randomLogits(3, T, C, 12, 15);
    const lengths = [600, 577, 260];
    const targets = [seqs[0]!.concat(seqs[1]!, seqs[2]!), seqs[3]!, seqs[4]!.concat(seqs[5]!)];
    const batch: CtcBatch = {
      data,
      batch: 3,
      time: T,
      classes: C,
      targets,
      inputLengths: lengths,
      blank: 0,
      scores: 'logits',
    };
    const den = denominatorForwardBackward(data, [3, T, C], lengths, graph);
    const denExact = denominatorForwardBackward(data, [3, T, C], lengths, graph, { method: 'log' });
    expect(den.logSpaceFallbacks).toBe(0); // the scaled denominator held on its own
    expect(den.logZ).toBeAllclose(denExact.logZ, { rtol: 1e-9, atol: 0 });
    expect(den.occupancy!).toBeAllclose(denExact.occupancy!, { rtol: 1e-5, atol: 1e-6 });
    const layout = denominatorLayout(graph);
    const fast = crfForwardBackward(batch, layout, 0.01);
    const exact = crfForwardBackward(batch, layout, 0.01, { method: 'log' });
    for (let b = 0; b < 3; b++) {
      expect(Number.isFinite(fast.losses[b]!)).toBe(true);
      expect(Math.abs(fast.den[b]! - exact.den[b]!)).toBeLessThan(1e-5 * Math.abs(exact.den[b]!));
      expect(Math.abs(fast.losses[b]! - exact.losses[b]!)).toBeLessThan(1e-5 * Math.abs(exact.losses[b]!));
    }
    // the gradient within 1e-5 of its largest entry, everywhere (entries near 0 have no relative scale)
    const gmax = Math.max(...Array.from(exact.grad!, Math.abs));
    expect(gmax).toBeGreaterThan(0.5);
    let worst = 0;
    for (let i = 0; i < exact.grad!.length; i++)
      worst = Math.max(worst, Math.abs(fast.grad![i]! - exact.grad![i]!));
    expect(worst).toBeLessThan(1e-5 * gmax);
  });
});

describe.each(testBackends)('ctcCrfLoss as a TF.js op on %s', (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => useBackend('cpu'));
  const lm = estimatePhoneLm(LM_DATA, { order: 2, minHistoryCount: 1 });
  const denominator = buildDenominatorGraph(lm, { numClasses: 4 });
  const targets = [
    [1, 2],
    [3, 1, 2],
  ];
  const lengths = [6, 5];
  const data = Float32Array.from(randomLogits(2, 6, 4, 31));
  const kernel = ctcCrfForwardBackward(data, [2, 6, 4], targets, lengths, denominator, 0.01, true);

  it('reduces as documented and tf.grad returns the kernel gradient scaled by the reduction', () => {
    const x = tf.tensor3d(data, [2, 6, 4]);
    const none = ctcCrfLoss(x, targets, lengths, { denominator, reduction: 'none' });
    expect(none.dataSync()).toBeAllclose(kernel.loss, { rtol: 1e-6 });
    const mean = ctcCrfLoss(x, targets, lengths, { denominator });
    expect(mean.dataSync()[0]).toBeCloseTo((kernel.loss[0]! / 2 + kernel.loss[1]! / 3) / 2, 5);
    const sum = ctcCrfLoss(x, targets, lengths, { denominator, reduction: 'sum' });
    expect(sum.dataSync()[0]).toBeCloseTo(kernel.loss[0]! + kernel.loss[1]!, 5);
    const g = tf.grad((y: tf.Tensor) =>
      ctcCrfLoss(y, targets, lengths, { denominator, reduction: 'batchMean' }),
    )(x);
    expect(g.dataSync()).toBeAllclose(
      kernel.grad!.map((v) => v / 2),
      { rtol: 1e-5, atol: 1e-7 },
    );
    tf.dispose([x, none, mean, sum, g]);
  });

  it('with lambda 0 it is ctcLoss minus the LM weight plus the denominator', () => {
    const x = tf.tensor3d(data, [2, 6, 4]);
    const ctc = ctcLoss(x, targets, lengths, { reduction: 'none' }).dataSync();
    const crf = ctcCrfLoss(x, targets, lengths, { denominator, lambda: 0, reduction: 'none' }).dataSync();
    for (let b = 0; b < 2; b++) expect(crf[b]).toBeCloseTo(ctc[b]! - kernel.lm[b]! + kernel.den[b]!, 4);
    x.dispose();
  });

  it('does not leak tensors across repeated calls with gradients', () => {
    const x = tf.tensor3d(data, [2, 6, 4]);
    const step = () =>
      tf.tidy(() => tf.grad((y: tf.Tensor) => ctcCrfLoss(y, targets, lengths, { denominator }))(x));
    step().dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step().dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('ctcCrfLoss input checks and infeasible utterances', () => {
  const lm = estimatePhoneLm(LM_DATA, { order: 2 });
  const denominator = buildDenominatorGraph(lm, { numClasses: 4 });
  const x = tf.tensor3d(Float32Array.from(randomLogits(1, 3, 4, 2)), [1, 3, 4]);

  it('names the argument and utterance in its errors', () => {
    expect(() => ctcCrfLoss(tf.zeros([1, 3, 5]), [[1]], [3], { denominator })).toThrow(
      /built for 4 classes but logits have 5/,
    );
    expect(() => ctcCrfLoss(x, [[1, 0]], [3], { denominator })).toThrow(
      /targets\[0\]\[1\] is 0, the blank index/,
    );
    expect(() => ctcCrfLoss(x, [[1]], [4], { denominator })).toThrow(
      /inputLengths\[0\] must be an integer in \[0, 3\]/,
    );
    expect(() => ctcCrfLoss(x, [[1]], [3], { denominator, lambda: -1 })).toThrow(CtcInputError);
    expect(() => ctcCrfLoss(x, [[1]], [3], { denominator, blank: 2 })).toThrow(/graph's blank is 0/);
    expect(() => ctcCrfLoss(x, [[1]], [3], {} as never)).toThrow(/options\.denominator must be a graph/);
    const nan = tf.tensor3d([0, Number.NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [1, 3, 4]);
    expect(() => ctcCrfLoss(nan, [[1]], [3], { denominator })).toThrow(
      /utterance 0 hold NaN at frame 0, class 1/,
    );
  });

  it('rejects LM words that are not classes', () => {
    expect(() => buildDenominatorGraph(lm, { numClasses: 3 })).toThrow(DenominatorGraphError);
    expect(() => buildDenominatorGraph(lm, { numClasses: 3 })).toThrow(
      /LM word "3" is not a class id in \[0, 3\)/,
    );
  });

  it('gives Infinity (NaN gradient) for a reference with no path, 0 with zeroInfinity', () => {
    // [1, 2, 1, 1] needs 5 frames; "1 1" never occurs in LM_DATA, so the hard-back-off bigram forbids it
    const loss = ctcCrfLoss(x, [[1, 2, 1, 1]], [3], { denominator, reduction: 'none' });
    expect(loss.dataSync()[0]).toBe(Number.POSITIVE_INFINITY);
    const g = tf.grad((y: tf.Tensor) => ctcCrfLoss(y, [[1, 1]], [3], { denominator, reduction: 'sum' }))(x);
    expect(Number.isNaN(g.dataSync()[0])).toBe(true); // LM forbids "1 1"
    const z = tf.grad((y: tf.Tensor) =>
      ctcCrfLoss(y, [[1, 1]], [3], { denominator, reduction: 'sum', zeroInfinity: true }),
    )(x);
    expect(Array.from(z.dataSync())).toEqual(new Array(12).fill(0));
  });
});

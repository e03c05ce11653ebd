import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends, useBackend } from '../../../test/backends';
import { fixturePath } from '../../../test/fixtures';
import { ctcForwardBackward } from './ctc-forward-backward';
import { CtcInputError, ctcLoss, ctcLossFromLogProbs } from './ctc-loss';
import { mulberry32 as rng } from './mulberry32';

const goldenPath = fixturePath('ctc', 'torch-ctc-golden.json');

interface GoldenCase {
  name: string;
  T: number;
  N: number;
  C: number;
  blank: number;
  logits: number[][][];
  targets: number[][];
  input_lengths: number[];
  target_lengths: number[];
  loss: (number | null)[];
  loss_zero_infinity: number[];
  grad_logits_zero_infinity: number[][][];
}

const golden = JSON.parse(readFileSync(goldenPath, 'utf8')) as { cases: GoldenCase[] };

/** Time-major [T][N][C] (the fixture's layout) to batch-major [N, T, C]. */
function batchMajor(x: number[][][], T: number, N: number, C: number): Float64Array {
  const out = new Float64Array(N * T * C);
  for (let t = 0; t < T; t++) {
    for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) out[(n * T + t) * C + c] = x[t]![n]![c]!;
  }
  return out;
}

/** The case's logits as a float32 [N, T, C] tensor. */
const logitsOf = (c: GoldenCase) =>
  tf.tensor3d(Float32Array.from(batchMajor(c.logits, c.T, c.N, c.C)), [c.N, c.T, c.C]);

const expectedLosses = (c: GoldenCase) => c.loss.map((l) => (l === null ? Number.POSITIVE_INFINITY : l));

describe.each(testBackends)('ctcLoss against PyTorch (torch-ctc-golden.json) on %s', (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => useBackend('cpu'));

  for (const c of golden.cases) {
    it(`${c.name}: per-utterance losses within 1e-5 relative, Infinity where PyTorch has none`, () => {
      const logits = logitsOf(c);
      const loss = ctcLoss(logits, c.targets, c.input_lengths, { blank: c.blank, reduction: 'none' });
      const got = Array.from(loss.dataSync());
      const want = expectedLosses(c);
      for (let i = 0; i < want.length; i++) {
        if (want[i] === Number.POSITIVE_INFINITY) expect(got[i]).toBe(Number.POSITIVE_INFINITY);
        else expect(got[i]).toBeAllclose([want[i]!], { rtol: 1e-5, atol: 0 });
      }
      tf.dispose([logits, loss]);
    });

    it(`${c.name}: gradient of the summed zero-infinity loss within 1e-4`, () => {
      const logits = logitsOf(c);
      const opts = { blank: c.blank, reduction: 'sum', zeroInfinity: true } as const;
      const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => ctcLoss(x, c.targets, c.input_lengths, opts))(
        logits,
      );
      const want = batchMajor(c.grad_logits_zero_infinity, c.T, c.N, c.C);
      expect(grad).toBeAllclose(want, { rtol: 0, atol: 1e-4 });
      const sum = c.loss_zero_infinity.reduce((a, b) => a + b, 0);
      expect(value).toBeAllclose([sum], { rtol: 1e-5, atol: 1e-6 });
      tf.dispose([logits, value, grad]);
    });
  }
});

describe('ctcLoss reductions (PyTorch semantics)', () => {
  const c = golden.cases.find((k) => k.name === 'ragged_inputs')!;
  const logits = () => logitsOf(c);
  const want = expectedLosses(c);

  it("'mean' divides by target lengths then averages; 'sum' adds", () => {
    const x = logits();
    const mean = ctcLoss(x, c.targets, c.input_lengths);
    const sum = ctcLoss(x, c.targets, c.input_lengths, { reduction: 'sum' });
    const wantMean = want.reduce((a, l, i) => a + l / c.target_lengths[i]!, 0) / want.length;
    expect(mean.shape).toEqual([]);
    expect(mean).toBeAllclose([wantMean], { rtol: 1e-6 });
    expect(sum).toBeAllclose([want.reduce((a, b) => a + b, 0)], { rtol: 1e-6 });
    tf.dispose([x, mean, sum]);
  });

  it("'mean' gradient is each utterance's gradient over (batch * target length)", () => {
    const x = logits();
    const gMean = tf.grad((v: tf.Tensor) => ctcLoss(v, c.targets, c.input_lengths))(x);
    const full = batchMajor(c.grad_logits_zero_infinity, c.T, c.N, c.C);
    const per = c.T * c.C;
    const want2 = full.map((g, i) => g / (c.N * c.target_lengths[Math.floor(i / per)]!));
    expect(gMean).toBeAllclose(want2, { rtol: 0, atol: 1e-5 });
    tf.dispose([x, gMean]);
  });

  it("'none' returns [batch] and back-propagates a weighted upstream gradient", () => {
    const x = logits();
    const w = [0.5, -1, 2, 0];
    const g = tf.grad((v: tf.Tensor) =>
      tf.sum(tf.mul(ctcLoss(v, c.targets, c.input_lengths, { reduction: 'none' }), tf.tensor1d(w))),
    )(x);
    const full = batchMajor(c.grad_logits_zero_infinity, c.T, c.N, c.C);
    const per = c.T * c.C;
    expect(g).toBeAllclose(
      full.map((v, i) => v * w[Math.floor(i / per)]!),
      { rtol: 0, atol: 1e-4 },
    );
    tf.dispose([x, g]);
  });

  it('an infeasible utterance makes mean and sum Infinity, with NaN gradient only on its own frames', () => {
    const k = golden.cases.find((q) => q.name === 'infeasible')!;
    const x = logitsOf(k);
    const mean = ctcLoss(x, k.targets, k.input_lengths);
    expect(mean.dataSync()[0]).toBe(Number.POSITIVE_INFINITY);
    const g = tf.grad((v: tf.Tensor) => ctcLoss(v, k.targets, k.input_lengths, { reduction: 'sum' }))(x);
    const gd = g.dataSync();
    const per = k.T * k.C;
    expect(gd.slice(per).every(Number.isNaN)).toBe(true);
    expect(gd.slice(0, per)).toBeAllclose(
      batchMajor(k.grad_logits_zero_infinity, k.T, k.N, k.C).slice(0, per),
      {
        rtol: 0,
        atol: 1e-4,
      },
    );
    const zi = ctcLoss(x, k.targets, k.input_lengths, { zeroInfinity: true });
    expect(zi).toBeAllclose([k.loss[0]! / 3 / 2], { rtol: 1e-6 });
    tf.dispose([x, mean, g, zi]);
  });
});

describe('ctcLossFromLogProbs', () => {
  it('on logSoftmax(logits) matches PyTorch, and its gradient chains to the logits gradient', () => {
    const c = golden.cases.find((k) => k.name === 'repeats_need_blanks')!;
    const x = logitsOf(c);
    const f = (v: tf.Tensor) =>
      ctcLossFromLogProbs(tf.logSoftmax(v), c.targets, c.input_lengths, { reduction: 'sum' });
    const { value, grad } = tf.valueAndGrad(f)(x);
    expect(value).toBeAllclose([c.loss_zero_infinity.reduce((a, b) => a + b, 0)], { rtol: 1e-5 });
    expect(grad).toBeAllclose(batchMajor(c.grad_logits_zero_infinity, c.T, c.N, c.C), {
      rtol: 0,
      atol: 1e-4,
    });
    tf.dispose([x, value, grad]);
  });
});

describe('ctcForwardBackward gradients against central finite differences (float64)', () => {
  const B = 2;
  const T = 7;
  const C = 5;
  const r = rng(7);
  const base = new Float64Array(B * T * C).map(() => 3 * (r() - 0.5));
  const targets = [
    [1, 1, 3],
    [4, 2],
  ];
  const inputLengths = [7, 5];

  for (const scores of ['logits', 'logProbs'] as const) {
    for (const blank of [0, C - 1]) {
      it(`${scores}, blank ${blank}: every partial derivative within 1e-7`, () => {
        const tg = blank === 0 ? targets : targets.map((t) => t.map((l) => l - 1));
        const run = (data: Float64Array, grad: boolean) =>
          ctcForwardBackward(
            { data, batch: B, time: T, classes: C, targets: tg, inputLengths, blank, scores },
            { grad },
          );
        const analytic = run(base, true).grad!;
        const h = 1e-5;
        for (let i = 0; i < base.length; i++) {
          const plus = Float64Array.from(base);
          const minus = Float64Array.from(base);
          plus[i]! += h;
          minus[i]! -= h;
          const lp = run(plus, false).losses;
          const lm = run(minus, false).losses;
          const b = Math.floor(i / (T * C));
          const numeric = (lp[b]! - lm[b]!) / (2 * h);
          expect(Math.abs(analytic[i]! - numeric)).toBeLessThan(1e-7 + 1e-6 * Math.abs(numeric));
        }
      });
    }
  }

  it('the scaled recursion agrees with the log-space one on long random utterances', () => {
    const T2 = 120;
    const C2 = 20;
    const r2 = rng(11);
    const data = new Float64Array(3 * T2 * C2).map(() => 8 * (r2() - 0.5));
    const tg = [40, 1, 55].map((n) => Array.from({ length: n }, () => 1 + Math.floor(r2() * (C2 - 1))));
    const batch = {
      data,
      batch: 3,
      time: T2,
      classes: C2,
      targets: tg,
      inputLengths: [120, 90, 118],
      blank: 0,
      scores: 'logits' as const,
    };
    const fast = ctcForwardBackward(batch);
    const slow = ctcForwardBackward(batch, { method: 'log' });
    expect(fast.logSpaceFallbacks).toBe(0);
    expect(slow.logSpaceFallbacks).toBe(3);
    expect(fast.losses).toBeAllclose(slow.losses, { rtol: 1e-12 });
    expect(fast.grad).toBeAllclose(slow.grad!, { rtol: 0, atol: 1e-6 });
  });
});

describe('ctcLoss edge cases', () => {
  it('falls back to log space when probabilities underflow float64, matching the closed form', () => {
    // One frame, target [1]: loss = -logSoftmax(x)[1] = 2000 + log 2 (+ e^-2000), grad = softmax - onehot.
    const x = tf.tensor3d([[[0, -2000, 0]]]);
    const { value, grad } = tf.valueAndGrad((v: tf.Tensor) => ctcLoss(v, [[1]], [1], { reduction: 'sum' }))(
      x,
    );
    expect(value).toBeAllclose([2000 + Math.LN2], { rtol: 1e-7 });
    expect(grad).toBeAllclose([0.5, -1, 0.5], { atol: 1e-7 });
    tf.dispose([x, value, grad]);
  });

  it('an empty target costs -sum log p(blank), in closed form', () => {
    const r = rng(3);
    const vals = Array.from({ length: 4 * 3 }, () => r() * 2);
    const x = tf.tensor3d(vals, [1, 4, 3]);
    const loss = ctcLoss(x, [[]], [4], { reduction: 'sum', blank: 2 });
    let want = 0;
    for (let t = 0; t < 4; t++) {
      const row = vals.slice(t * 3, t * 3 + 3);
      want -= row[2]! - Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
    }
    expect(loss).toBeAllclose([want], { rtol: 1e-6 });
    const zeroFrames = ctcLoss(x, [[]], [0], { reduction: 'none' });
    expect(zeroFrames).toBeAllclose([0]);
    tf.dispose([x, loss, zeroFrames]);
  });

  it('leaves tf.memory().numTensors unchanged after repeated loss and gradient calls', () => {
    const x = tf.randomNormal([3, 20, 6]);
    const targets = [[1, 2], [3, 3, 4], []];
    const step = () => {
      const { value, grad } = tf.valueAndGrad((v: tf.Tensor) => ctcLoss(v, targets, [20, 18, 5]))(x);
      tf.dispose([value, grad]);
      tf.dispose(ctcLoss(x, targets, [20, 18, 5], { reduction: 'none' }));
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('trains: a few SGD steps on a variable lower the loss', () => {
    const v = tf.variable(tf.randomNormal([2, 12, 5], 0, 0.1, 'float32', 1));
    const opt = tf.train.sgd(0.5);
    const lossOf = () =>
      ctcLoss(
        v,
        [
          [1, 2, 3],
          [4, 4],
        ],
        [12, 10],
      ) as tf.Scalar;
    const first = lossOf().dataSync()[0]!;
    for (let i = 0; i < 10; i++) tf.dispose(opt.minimize(lossOf, true) ?? []);
    const last = lossOf().dataSync()[0]!;
    expect(last).toBeLessThan(first * 0.8);
    v.dispose();
    opt.dispose();
  });
});

describe('ctcLoss input validation names the argument and the utterance', () => {
  const x = tf.zeros([2, 4, 3]);
  const cases: [string, () => unknown, RegExp][] = [
    [
      'a label equal to the blank',
      () => ctcLoss(x, [[1], [2, 0]], [4, 4]),
      /targets\[1\]\[1\] is 0, the blank/,
    ],
    [
      'a label outside [0, classes)',
      () => ctcLoss(x, [[1], [3]], [4, 4]),
      /targets\[1\]\[0\].*\[0, 3\).*got 3/,
    ],
    [
      'a length longer than the tensor',
      () => ctcLoss(x, [[1], [2]], [4, 5]),
      /inputLengths\[1\].*\[0, 4\].*got 5/,
    ],
    ['a negative length', () => ctcLoss(x, [[1], [2]], [-1, 4]), /inputLengths\[0\].*got -1/],
    ['a non-integer length', () => ctcLoss(x, [[1], [2]], [2.5, 4]), /inputLengths\[0\].*got 2.5/],
    [
      'a missing target',
      () => ctcLoss(x, [[1]], [4, 4]),
      /targets must hold one label sequence per utterance \(2\), got 1/,
    ],
    ['a wrong rank', () => ctcLoss(tf.zeros([4, 3]), [[1]], [4]), /logits must be a Tensor3D.*\[4, 3\]/],
    ['a bad blank', () => ctcLoss(x, [[1], [2]], [4, 4], { blank: 3 }), /options.blank.*\[0, 3\).*got 3/],
  ];
  for (const [what, call, message] of cases) {
    it(`rejects ${what}`, () => {
      expect(call).toThrow(CtcInputError);
      expect(call).toThrow(message);
    });
  }

  it('rejects NaN in the logits, naming the utterance and frame', () => {
    const vals = new Float32Array(2 * 4 * 3);
    vals[1 * 12 + 2 * 3 + 1] = Number.NaN;
    const bad = tf.tensor3d(vals, [2, 4, 3]);
    expect(() => ctcLoss(bad, [[1], [2]], [4, 4])).toThrow(
      /logits of utterance 1 hold NaN at frame 2, class 1/,
    );
    // NaN in padding beyond the utterance's length is ignored, as PyTorch ignores those frames.
    expect(() => tf.dispose(ctcLoss(bad, [[1], [2]], [4, 2]))).not.toThrow();
    bad.dispose();
  });
});

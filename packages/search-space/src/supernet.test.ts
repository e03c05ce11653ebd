import { createEstimator, createRng } from '@stnas/st-estimator';
import * as tf from '@tensorflow/tfjs-core';
import { expect, describe as group, it } from 'vitest';
import { WSJ_STNAS_CONFIG } from './configs';
import { deriveArchitecture } from './derive';
import { countParams, describe } from './describe';
import { buildModel, buildSupernet } from './supernet';
import { tinyMfrNet } from './test-support';
import { loadWeights, saveWeights } from './weights-io';

const C2D1 = { ...WSJ_STNAS_CONFIG, candidate: ['tdnn-C2D1Nln'] };

group('WSJ config of the paper', () => {
  it('supernet has 35,319,752 parameters and the all-C2D1 model 11,912,392 (the 11.9M the paper reports)', () => {
    const s = buildSupernet(WSJ_STNAS_CONFIG);
    expect(countParams(s)).toBe(35_319_752);
    expect(s.archVariables()).toHaveLength(6);
    expect(s.archProbs()[0]).toEqual([0.25, 0.25, 0.25, 0.25]);
    s.dispose();
    const m = buildModel(C2D1);
    expect(countParams(m)).toBe(11_912_392);
    expect(m.archVariables()).toHaveLength(0);
    m.dispose();
  });

  it('the all-kernel-3 model has 7.66M parameters, dilation not counting', () => {
    const m = buildModel({ ...WSJ_STNAS_CONFIG, candidate: ['tdnn-C1D2Nln'] });
    // 3*120*640 + 5 * 3*640*640 + 6 * 3*640 (bias + LN) + stride-3 layer + linear
    expect(countParams(m)).toBe(3 * 120 * 640 + 5 * 3 * 640 * 640 + 6 * 1920 + 1_230_720 + 46_152);
    m.dispose();
  });
});

group('supernet forward', () => {
  const small = tinyMfrNet('independent');

  it('gives lengths through the stride-3 layer by the reference rule floor(len * T_out / T_in)', () => {
    const s = buildSupernet(small);
    const x = tf.randomNormal([3, 10, 6], 0, 1, 'float32', 1) as tf.Tensor3D;
    const r = s.apply(x, [10, 7, 5], { mode: 'warmup', rng: createRng(1), training: false });
    // T_out = floor(9 / 3) + 1 = 4; 10*4/10 = 4, 7*4/10 = 2.8 -> 2, 5*4/10 = 2
    expect(r.logits.shape).toEqual([3, 4, 5]);
    expect(r.lengths).toEqual([4, 2, 2]);
    const c = s.apply(x, [10, 7, 5], {
      mode: 'warmup',
      rng: createRng(1),
      training: false,
      lengthRule: 'conv',
    });
    expect(c.lengths).toEqual([4, 3, 2]);
    tf.dispose([x, r.logits, c.logits]);
    s.dispose();
  });

  it('search mode with the ST estimator: forward equals the sampled path, gradients reach only arch logits on request', () => {
    const s = buildSupernet(small, { seed: 3 });
    const x = tf.randomNormal([2, 9, 6], 0, 1, 'float32', 2) as tf.Tensor3D;
    const est = createEstimator('st');
    const { value, grads } = tf.variableGrads(() => {
      const r = s.apply(x, [9, 6], { mode: 'search', rng: createRng(5), estimator: est, training: false });
      return tf.sum(tf.square(r.logits)) as tf.Scalar;
    }, s.archVariables());
    const again = s.apply(x, [9, 6], { mode: 'search', rng: createRng(5), estimator: est, training: false });
    const path = s.apply(x, [9, 6], { mode: 'eval', choices: again.choices, training: false });
    expect(tf.sum(tf.square(path.logits)).dataSync()[0]).toBeCloseTo(value.dataSync()[0]!, 3);
    expect(Object.keys(grads)).toHaveLength(4);
    for (const g of Object.values(grads)) expect(Array.from(g.dataSync()).some((v) => v !== 0)).toBe(true);
    tf.dispose([x, value, again.logits, path.logits, ...Object.values(grads)]);
    s.dispose();
  });

  it('does not leak tensors across repeated forwards', () => {
    const s = buildSupernet(small);
    const x = tf.randomNormal([2, 9, 6]) as tf.Tensor3D;
    const run = () =>
      tf.tidy(() => s.apply(x, [9, 4], { mode: 'warmup', rng: createRng(1), training: true }).logits);
    tf.dispose(run());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(run());
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    s.dispose();
  });

  it('save, load into a fresh model, forward: identical outputs', () => {
    const a = buildSupernet(small, { seed: 1 });
    tf.tidy(() => a.archVariables()[1]!.assign(tf.tensor1d([0, 2, 0, 0])));
    const b = buildSupernet(small, { seed: 2 });
    const x = tf.randomNormal([2, 9, 6]) as tf.Tensor3D;
    const opts = { mode: 'eval' as const, argmax: true, training: false };
    const ya = a.apply(x, [9, 7], opts).logits;
    const before = b.apply(x, [9, 7], opts).logits;
    expect(before).not.toBeAllclose(ya);
    const w = saveWeights(a);
    expect(Object.keys(w)).toContain('block0.node0.tdnn-C2D2Nln.weight');
    expect(Object.keys(w)).toContain('sublayer.tdnn-C1S3D1Nln.norm.bias');
    expect(Object.keys(w)).toContain('block1.node0.arch');
    loadWeights(b, w);
    expect(b.apply(x, [9, 7], opts).logits).toBeAllclose(ya, { rtol: 0, atol: 0 });
    expect(() => loadWeights(b, { ...w, 'linear1.weight': new Float32Array(3) })).toThrow(
      /linear1.weight.*3 values; expected 40/,
    );
    const { 'linear1.bias': _drop, ...missing } = w;
    expect(() => loadWeights(b, missing)).toThrow(/missing linear1.bias/);
    tf.dispose([x, ya, before]);
    a.dispose();
    b.dispose();
  });

  it('derives the argmax architecture as reference JSON that buildModel accepts and describe draws', () => {
    const s = buildSupernet(small);
    tf.tidy(() =>
      s.archVariables().forEach((v, i) => {
        v.assign(tf.mul(tf.oneHot(i % 4, 4), 3) as tf.Tensor1D);
      }),
    );
    const d = deriveArchitecture(s);
    expect(d.candidate).toEqual({
      base: ['tdnn-C1D1Nln'],
      '0-0': ['tdnn-C1D1Nln'],
      '1-0': ['tdnn-C1D2Nln'],
      '2-0': ['tdnn-C2D1Nln'],
      '3-0': ['tdnn-C2D2Nln'],
    });
    // The derived model is an ordinary network: everything but weight_sharing carries over.
    const { weight_sharing: _sharing, ...plain } = small.net_configs;
    expect(d.net_configs).toEqual(plain);
    const m = buildModel(d);
    expect(describe(m).map((e) => `${e.tail}-${e.head}@${e.op}`)).toEqual([
      '0-1@tdnn-C1D1Nln',
      '1-2@tdnn-C1D2Nln',
      '2-3@tdnn-C1S3D1Nln',
      '3-4@tdnn-C2D1Nln',
      '4-5@tdnn-C2D2Nln',
      '5-6@linear',
    ]);
    expect(() => buildModel(small)).toThrow(/node 0-0 lists 4 candidates/);
    s.dispose();
    m.dispose();
  });
});

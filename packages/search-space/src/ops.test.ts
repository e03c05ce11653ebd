import { createRng } from '@stnas/st-estimator';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { testBackends, useBackend } from '../../../test/backends';
import { maskedBatchNorm } from './batch-norm';
import type { StnasConfig } from './config';
import { dropout } from './dropout';
import { layerNorm } from './layer-norm';
import { parseOpName } from './op-name';
import { createOp } from './ops';
import { ParamStore } from './params';
import { reverseFrames } from './reverse-frames';
import { buildSupernet } from './supernet';
import { tdnnRelu } from './tdnn-kernel';
import { rand } from './test-support';

/** Deterministic pseudo-random numbers in [-1, 1) for test inputs. */

/** Independent float64 TDNN: direct loops over relu(conv1d(x, w, stride, dilation, pad C*D) + b). */
function naiveTdnn(
  x: Float64Array,
  w: Float64Array,
  b: Float64Array,
  B: number,
  T: number,
  I: number,
  O: number,
  c: number,
  s: number,
  d: number,
): Float64Array {
  const K = 2 * c + 1;
  const tOut = Math.floor((T - 1) / s) + 1;
  const y = new Float64Array(B * tOut * O);
  for (let bi = 0; bi < B; bi++)
    for (let t = 0; t < tOut; t++)
      for (let o = 0; o < O; o++) {
        let acc = b[o]!;
        for (let j = 0; j < K; j++) {
          const src = t * s + (j - c) * d;
          if (src < 0 || src >= T) continue;
          for (let i = 0; i < I; i++) acc += x[(bi * T + src) * I + i]! * w[(j * I + i) * O + o]!;
        }
        y[(bi * tOut + t) * O + o] = Math.max(acc, 0);
      }
  return y;
}

function naiveLayerNorm(x: Float64Array, g: Float64Array, b: Float64Array, D: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let r = 0; r < x.length / D; r++) {
    let m = 0;
    for (let i = 0; i < D; i++) m += x[r * D + i]! / D;
    let v = 0;
    for (let i = 0; i < D; i++) v += (x[r * D + i]! - m) ** 2 / D;
    for (let i = 0; i < D; i++) y[r * D + i] = ((x[r * D + i]! - m) / Math.sqrt(v + 1e-5)) * g[i]! + b[i]!;
  }
  return y;
}

/** Central differences in float64 of sum(f(args) * proj) with respect to args[which]. */
function fd(
  f: (a: Float64Array[]) => Float64Array,
  args: Float64Array[],
  proj: Float64Array,
  which: number,
  h = 1e-6,
): Float64Array {
  const loss = (a: Float64Array[]) => f(a).reduce((s, v, i) => s + v * proj[i]!, 0);
  const g = new Float64Array(args[which]!.length);
  for (let k = 0; k < g.length; k++) {
    const p = args.map((a) => Float64Array.from(a));
    const m = args.map((a) => Float64Array.from(a));
    p[which]![k]! += h;
    m[which]![k]! -= h;
    g[k] = (loss(p) - loss(m)) / (2 * h);
  }
  return g;
}

describe('parseOpName', () => {
  it('reads the reference fields and defaults', () => {
    expect(parseOpName('tdnn-C2D2Nln')).toEqual({
      kind: 'tdnn',
      halfContext: 2,
      stride: 1,
      dilation: 2,
      norm: 'ln',
    });
    expect(parseOpName('tdnn-C1S3D1Nbn')).toEqual({
      kind: 'tdnn',
      halfContext: 1,
      stride: 3,
      dilation: 1,
      norm: 'bn',
    });
    expect(parseOpName('tdnn-D3')).toEqual({
      kind: 'tdnn',
      halfContext: 1,
      stride: 1,
      dilation: 3,
      norm: 'ln',
    });
    expect(parseOpName('bgru')).toEqual({ kind: 'bgru' });
    expect(() => parseOpName('tdnn-C2X1')).toThrow(/cannot parse "tdnn-C2X1"/);
    expect(() => parseOpName('conv')).toThrow(/unknown op "conv"/);
    expect(() => parseOpName('tdnn-C0')).toThrow(/C0; expected C >= 1/);
  });
});

const TDNN_GEOMETRIES = [
  { c: 0, s: 1, d: 1 },
  { c: 1, s: 1, d: 1 },
  { c: 2, s: 1, d: 2 },
  { c: 1, s: 3, d: 1 },
  { c: 2, s: 2, d: 3 },
];

/** tdnnRelu's value and gradients against a float64 direct convolution and finite differences. */
function checkTdnnRelu({ c, s, d }: { c: number; s: number; d: number }): void {
  const [B, T, I, O] = [2, 8, 3, 4];
  const K = 2 * c + 1;
  const tOut = Math.floor((T - 1) / s) + 1;
  const x = rand(B * T * I, 1);
  const w = rand(K * I * O, 2);
  const b = rand(O, 3).map((v) => v * 0.1);
  const proj = rand(B * tOut * O, 4);
  const f = (a: Float64Array[]) => naiveTdnn(a[0]!, a[1]!, a[2]!, B, T, I, O, c, s, d);
  const g = { halfContext: c, stride: s, dilation: d };
  const [xt, wt, bt] = [
    tf.tensor3d(Float32Array.from(x), [B, T, I]),
    tf.tensor3d(Float32Array.from(w), [K, I, O]),
    tf.tensor1d(Float32Array.from(b)),
  ];
  const y = tdnnRelu(xt, wt, bt, g);
  expect(y.shape).toEqual([B, tOut, O]);
  expect(y).toBeAllclose(f([x, w, b]), { rtol: 1e-5, atol: 1e-5 });
  const grads = tf.grads((a: tf.Tensor, bb: tf.Tensor, cc: tf.Tensor) =>
    tf.sum(
      tf.mul(
        tdnnRelu(a as tf.Tensor3D, bb as tf.Tensor3D, cc as tf.Tensor1D, g),
        tf.tensor3d(Float32Array.from(proj), [B, tOut, O]),
      ),
    ),
  )([xt, wt, bt]);
  for (let i = 0; i < 3; i++) {
    expect(grads[i]).toBeAllclose(fd(f, [x, w, b], proj, i), { rtol: 1e-4, atol: 1e-4 });
  }
  tf.dispose([xt, wt, bt, y, ...grads]);
}

describe.each(TDNN_GEOMETRIES)('tdnnRelu C$c S$s D$d', (geometry) => {
  it('matches a float64 direct convolution, and its gradients match float64 finite differences', () => {
    checkTdnnRelu(geometry);
  });
});

describe('dropout', () => {
  it('keeps each element with probability 1 - p, scales it by 1 / (1 - p), repeats per seed, and backprops the same mask', () => {
    const shape = [4, 100, 50];
    const n = 4 * 100 * 50;
    for (const rate of [0.5, 0.2]) {
      const ones = tf.ones(shape);
      const y = dropout(ones, rate, createRng(11)).dataSync();
      const scale = 1 / (1 - rate);
      let kept = 0;
      for (const v of y) {
        expect(v === 0 || Math.abs(v - scale) < 1e-6).toBe(true);
        if (v !== 0) kept++;
      }
      // Binomial(n, 1 - p): within 5 standard deviations.
      expect(Math.abs(kept / n - (1 - rate))).toBeLessThan(5 * Math.sqrt((rate * (1 - rate)) / n));
      expect(Array.from(dropout(ones, rate, createRng(11)).dataSync())).toEqual(Array.from(y));
      expect(Array.from(dropout(ones, rate, createRng(12)).dataSync())).not.toEqual(Array.from(y));
      // Neighbouring elements are independent: P(both kept) = (1 - p)^2.
      let pairs = 0;
      for (let i = 0; i + 1 < n; i += 2) if (y[i] !== 0 && y[i + 1] !== 0) pairs++;
      expect(Math.abs(pairs / (n / 2) - (1 - rate) ** 2)).toBeLessThan(0.03);
      const proj = tf.tensor3d(Float32Array.from(rand(n, 13)), shape as [number, number, number]);
      const dx = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(dropout(x, rate, createRng(11)), proj)))(
        tf.randomNormal(shape),
      );
      expect(dx).toBeAllclose(tf.mul(proj, tf.tensor(y, shape)), { rtol: 1e-6, atol: 1e-6 });
      tf.dispose([ones, proj, dx]);
    }
    expect(() => dropout(tf.ones([2]), 1, createRng(0))).toThrow(/rate must be in \[0, 1\), got 1/);
  });
});

describe('layerNorm and masked BatchNorm', () => {
  it('layerNorm matches float64 LayerNorm and finite differences for x, gamma, beta', () => {
    const [N, D] = [5, 6];
    const args = [rand(N * D, 5), rand(D, 6), rand(D, 7)];
    const proj = rand(N * D, 8);
    const f = (a: Float64Array[]) => naiveLayerNorm(a[0]!, a[1]!, a[2]!, D);
    const ts = [
      tf.tensor2d(Float32Array.from(args[0]!), [N, D]),
      tf.tensor1d(Float32Array.from(args[1]!)),
      tf.tensor1d(Float32Array.from(args[2]!)),
    ];
    expect(layerNorm(ts[0]!, ts[1] as tf.Tensor1D, ts[2] as tf.Tensor1D)).toBeAllclose(f(args), {
      rtol: 1e-5,
      atol: 1e-5,
    });
    const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(
        tf.mul(
          layerNorm(a, g as tf.Tensor1D, b as tf.Tensor1D),
          tf.tensor2d(Float32Array.from(proj), [N, D]),
        ),
      ),
    )(ts);
    args.forEach((_, i) => {
      expect(grads[i]).toBeAllclose(fd(f, args, proj, i), { rtol: 1e-3, atol: 1e-4 });
    });
  });

  it('masked BatchNorm uses only frames inside the lengths and updates the running statistics', () => {
    const store = new ParamStore(0);
    const st = {
      gamma: store.constant<tf.Variable<tf.Rank.R1>>('g', [2], 1),
      beta: store.constant<tf.Variable<tf.Rank.R1>>('b', [2], 0),
      runningMean: store.buffer<tf.Variable<tf.Rank.R1>>('m', [2], 0),
      runningVar: store.buffer<tf.Variable<tf.Rank.R1>>('v', [2], 1),
    };
    // valid frames of channel 0: 1, 3, 5 (mean 3, biased var 8/3); padded frames hold 100.
    const x2 = tf.tensor3d([1, 10, 3, 20, 100, 100, 5, 30, 100, 100, 100, 100], [2, 3, 2]);
    const y = maskedBatchNorm(x2, [2, 1], st, true);
    const sd = Math.sqrt(8 / 3 + 1e-5);
    expect(tf.slice(y, [0, 0, 0], [1, 2, 1]).dataSync()).toBeAllclose([(1 - 3) / sd, 0], { atol: 1e-5 });
    expect(st.runningMean).toBeAllclose([0.3, 2], { rtol: 1e-5 });
    expect(st.runningVar).toBeAllclose([0.9 + 0.1 * 4, 0.9 + 0.1 * 100], { rtol: 1e-5 });
    tf.dispose([x2, y]);
  });
});

describe.each(['lstm', 'gru', 'blstm', 'bgru', 'linear', 'tdnn-C1D2Nbn'])('op %s', (name) => {
  it('gradients match finite differences and padding never leaks into valid frames', () => {
    const store = new ParamStore(3);
    const op = createOp(name, 3, 4, 0, store, 'op');
    const ctx = { training: false, lengthRule: 'reference' as const };
    const x = tf.tensor3d(Float32Array.from(rand(2 * 5 * 3, 9)), [2, 5, 3]);
    const lens = [5, 3];
    const proj = tf.tensor3d(Float32Array.from(rand(2 * 5 * 4, 10)), [2, 5, 4]);
    const loss = (v: tf.Tensor) => tf.sum(tf.mul(op.apply(v as tf.Tensor3D, lens, ctx), proj));
    const g = tf.grad(loss)(x);
    const xv = x.arraySync();
    const h = 1e-2;
    for (const [bi, t, i] of [
      [0, 0, 0],
      [0, 4, 2],
      [1, 1, 1],
      [1, 2, 0],
    ] as const) {
      const p = xv.map((r) => r.map((c) => [...c]));
      const m = xv.map((r) => r.map((c) => [...c]));
      p[bi]![t]![i]! += h;
      m[bi]![t]![i]! -= h;
      const num = (loss(tf.tensor3d(p)).dataSync()[0]! - loss(tf.tensor3d(m)).dataSync()[0]!) / (2 * h);
      expect((g.arraySync() as number[][][])[bi]![t]![i]).toBeCloseTo(num, 2);
    }
    // Utterance 1 alone (3 frames) equals its rows in the padded batch; padded frames are zero.
    // TDNNs read their context, so their contract is zeroed padding (the net masks its input);
    // RNNs and linear layers must ignore whatever the padding holds.
    const fill = name.startsWith('tdnn') ? 0 : 7;
    const alone = op.apply(tf.slice(x, [1, 0, 0], [1, 3, 3]), [3], ctx);
    const batch = op.apply(
      tf.concat<tf.Tensor3D>([
        tf.slice(x, [0, 0, 0], [1, 5, 3]),
        tf.concat([tf.slice(x, [1, 0, 0], [1, 3, 3]), tf.fill([1, 2, 3], fill) as tf.Tensor3D], 1),
      ]),
      lens,
      ctx,
    );
    expect(tf.slice(batch, [1, 0, 0], [1, 3, 4])).toBeAllclose(alone, { rtol: 1e-5, atol: 1e-6 });
    expect(tf.slice(batch, [1, 3, 0], [1, 2, 4])).toBeAllclose(new Float32Array(8), { atol: 0 });
  });
});

describe('reverseFrames', () => {
  it('reverses each utterance within its length and is its own gradient', () => {
    const x = tf.tensor3d([1, 2, 3, 4, 5, 6], [2, 3, 1]);
    expect(reverseFrames(x, [3, 2])).toBeAllclose([3, 2, 1, 5, 4, 6]);
    const g = tf.grad((v: tf.Tensor) =>
      tf.sum(tf.mul(reverseFrames(v as tf.Tensor3D, [3, 2]), tf.tensor3d([1, 2, 3, 4, 5, 6], [2, 3, 1]))),
    )(x);
    expect(g).toBeAllclose([3, 2, 1, 5, 4, 6]);
  });
});

const tiny = (net: StnasConfig['net'], candidate: string[]): StnasConfig => ({
  candidate,
  net,
  net_configs: {
    block_list: [2],
    idim: 4,
    odims: [6],
    num_classes: 3,
    dropout: 0.2,
    pos_subsample: 1,
    idim_sub: 6,
    odim_sub: 6,
    dropout_sub: 0.2,
  },
});

describe.each([
  ['MFRNet', ['tdnn-C1D1Nln', 'tdnn-C2D2Nbn']],
  ['BiNodeNet', ['tdnn-C1D2Nln', 'gru']],
  ['ResidualNet', ['tdnn-C1D1Nln', 'blstm']],
  ['BiResidualNet', ['tdnn-C2D1Nln', 'lstm']],
] as const)('%s', (net, cands) => {
  it('gives the same values for an utterance alone and padded in a batch, on every path', () => {
    const s = buildSupernet(tiny(net, [...cands]), { seed: 4 });
    const x = tf.tensor3d(Float32Array.from(rand(2 * 9 * 4, 11)), [2, 9, 4]);
    const k = s.nodes().length;
    for (let path = 0; path < 4; path++) {
      const choices = Array.from({ length: k }, (_, i) => (path + i) % 2);
      const opts = { mode: 'eval' as const, choices, training: false, lengthRule: 'conv' as const };
      const batch = s.apply(x, [9, 7], opts);
      const alone = s.apply(tf.slice(x, [1, 0, 0], [1, 7, 4]), [7], opts);
      expect(batch.lengths[1]).toBe(alone.lengths[0]);
      const n = alone.lengths[0]!;
      expect(tf.slice(batch.logits, [1, 0, 0], [1, n, 3])).toBeAllclose(
        tf.slice(alone.logits, [0, 0, 0], [1, n, 3]),
        { rtol: 1e-4, atol: 1e-5 },
      );
    }
    s.dispose();
  });
});

describe.each(testBackends.filter((b) => b !== 'cpu'))('cpu and %s agree', (wasm) => {
  afterAll(() => useBackend('cpu'));
  it('tdnnRelu (native conv or BLAS kernels) matches the float64 reference and finite differences', async () => {
    await useBackend(wasm);
    tf.env().set('IS_TEST', false);
    try {
      for (const geometry of TDNN_GEOMETRIES) checkTdnnRelu(geometry);
    } finally {
      tf.env().set('IS_TEST', true);
      await useBackend('cpu');
    }
  });
  it('a supernet path forward and its weight gradients agree within 1e-4', async () => {
    const run = () => {
      const s = buildSupernet(tiny('MFRNet', ['tdnn-C1D1Nln', 'tdnn-C2D2Nln', 'tdnn-C1D2Nbn']), { seed: 7 });
      const x = tf.tensor3d(Float32Array.from(rand(2 * 12 * 4, 12)), [2, 12, 4]);
      const opts = { mode: 'train' as const, rng: createRng(3), training: true };
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.square(s.apply(x, [12, 8], opts).logits)) as tf.Scalar,
        s.weightVariables(),
      );
      const out = {
        loss: value.dataSync()[0]!,
        grads: s.weightVariables().map((v) => (grads[v.name] ? Array.from(grads[v.name]!.dataSync()) : null)),
      };
      s.dispose();
      return out;
    };
    await useBackend('cpu');
    const a = run();
    await useBackend(wasm);
    // customGrad's save() clones, and a clone is a copy on wasm, which TF.js's IS_TEST leak check
    // counts as a leak; the check is a test-only debug aid, so it is off for the wasm run.
    tf.env().set('IS_TEST', false);
    const b = run();
    tf.env().set('IS_TEST', true);
    expect(b.loss).toBeCloseTo(a.loss, 3);
    expect(a.grads.filter((g) => g).length).toBeGreaterThan(8);
    a.grads.forEach((g, i) => {
      if (g) expect(b.grads[i]).toBeAllclose(g, { rtol: 1e-4, atol: 1e-4 });
      else expect(b.grads[i]).toBeNull();
    });
  });
});

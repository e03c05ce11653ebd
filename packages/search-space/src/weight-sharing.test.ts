import { createEstimator, createRng } from '@stnas/st-estimator';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { deriveArchitecture } from './derive';
import { countParams } from './describe';
import { ParamStore } from './params';
import { buildModel, buildSupernet } from './supernet';
import { PAPER_CANDIDATES, rand, tinyMfrNet } from './test-support';
import { createEntangledTdnns } from './weight-sharing';
import { loadWeights, saveWeights } from './weights-io';

const CANDS = PAPER_CANDIDATES;
const small = tinyMfrNet;

/**
 * Independent float64 reference of one entangled candidate: LayerNorm(relu(conv1d)) where the
 * candidate (C, D) reads taps Cmax-C .. Cmax+C of the [2Cmax+1, I, O] kernel w, dilated by D,
 * zero padding C*D; LayerNorm with gamma g and beta be (eps 1e-5, biased variance).
 */
function naive(
  x: Float64Array,
  w: Float64Array,
  b: Float64Array,
  g: Float64Array,
  be: Float64Array,
  dims: { B: number; T: number; I: number; O: number; cmax: number; c: number; d: number },
): Float64Array {
  const { B, T, I, O, cmax, c, d } = dims;
  const y = new Float64Array(B * T * O);
  const z = new Float64Array(O);
  for (let bi = 0; bi < B; bi++) {
    for (let t = 0; t < T; t++) {
      for (let o = 0; o < O; o++) {
        let s = b[o]!;
        for (let j = -c; j <= c; j++) {
          const tt = t + j * d;
          if (tt < 0 || tt >= T) continue;
          for (let i = 0; i < I; i++) s += x[(bi * T + tt) * I + i]! * w[((cmax + j) * I + i) * O + o]!;
        }
        z[o] = Math.max(0, s);
      }
      const mean = z.reduce((a, v) => a + v, 0) / O;
      const vr = z.reduce((a, v) => a + (v - mean) ** 2, 0) / O;
      for (let o = 0; o < O; o++)
        y[(bi * T + t) * O + o] = ((z[o]! - mean) / Math.sqrt(vr + 1e-5)) * g[o]! + be[o]!;
    }
  }
  return y;
}

describe('weight_sharing "entangled"', () => {
  it('holds one 5-tap kernel, bias and LayerNorm per node, so countParams counts them once', () => {
    const s = buildSupernet(small('entangled'));
    const names = [...s.namedWeights().keys()];
    expect(names.filter((n) => n.startsWith('block1.'))).toEqual([
      'block1.node0.superkernel.weight',
      'block1.node0.superkernel.bias',
      'block1.node0.superkernel.norm.weight',
      'block1.node0.superkernel.norm.bias',
    ]);
    expect(s.namedWeights().get('block0.node0.superkernel.weight')!.shape).toEqual([5, 6, 8]);
    // Per node: 5 taps x idim x 8 + bias + LN; stride-3 layer 3*8*8 + 8 + 16; linear 8*5 + 5.
    const node = (i: number) => 5 * i * 8 + 8 + 16;
    const fixed = 3 * 8 * 8 + 24 + 45;
    expect(countParams(s)).toBe(node(6) + 3 * node(8) + fixed);
    // Independent: the four candidates have 3, 3, 5 and 5 taps.
    const ind = buildSupernet(small());
    const cand = (i: number) => 16 * i * 8 + 4 * 24;
    expect(countParams(ind)).toBe(cand(6) + 3 * cand(8) + fixed);
    expect([...ind.namedWeights().keys()]).toContain('block0.node0.tdnn-C1D2Nln.weight');
    s.dispose();
    ind.dispose();
  });

  it('every candidate reads the same variable: changing the superkernel changes all four outputs', () => {
    const store = new ParamStore(1);
    const ops = createEntangledTdnns(CANDS, 3, 4, 0, store, 'n');
    expect([...store.weights.keys()]).toEqual([
      'n.superkernel.weight',
      'n.superkernel.bias',
      'n.superkernel.norm.weight',
      'n.superkernel.norm.bias',
    ]);
    const x = tf.randomNormal([2, 7, 3], 0, 1, 'float32', 4) as tf.Tensor3D;
    const ctx = { training: false, lengthRule: 'reference' as const };
    const before = ops.map((op) => op.apply(x, [7, 5], ctx));
    const w = store.weights.get('n.superkernel.weight')!;
    // Only the centre tap moves: every candidate, kernel 3 or 5, dilated or not, must change.
    const bump = tf.tidy(() =>
      tf.add(
        w,
        tf.pad(tf.ones([1, 3, 4]), [
          [2, 2],
          [0, 0],
          [0, 0],
        ]),
      ),
    );
    w.assign(bump);
    const after = ops.map((op) => op.apply(x, [7, 5], ctx));
    for (let i = 0; i < 4; i++) {
      const diff = tf.max(tf.abs(tf.sub(after[i]!, before[i]!))).dataSync()[0]!;
      expect(diff).toBeGreaterThan(1e-3);
    }
    tf.dispose([x, bump, ...before, ...after]);
    for (const v of store.weights.values()) v.dispose();
  });

  it.each([
    [0, 1, 1],
    [1, 1, 2],
    [2, 2, 1],
    [3, 2, 2],
  ])(
    'candidate %i (C%i D%i): value and gradients match a float64 reference and its finite differences',
    (k, c, d) => {
      const [B, T, I, O, cmax] = [2, 7, 3, 4, 2];
      const store = new ParamStore(2);
      const op = createEntangledTdnns(CANDS, I, O, 0, store, 'n')[k]!;
      const [w, b, g, be] = [5 * I * O, O, O, O].map((n, i) => rand(n, 10 + i)) as [
        Float64Array,
        Float64Array,
        Float64Array,
        Float64Array,
      ];
      g.forEach((v, i) => {
        g[i] = 1 + 0.5 * v;
      });
      const x = rand(B * T * I, 20);
      const proj = rand(B * T * O, 21);
      const vars = [...store.weights.values()];
      [w, b, g, be].forEach((a, i) => {
        vars[i]!.assign(tf.tensor(Float32Array.from(a), vars[i]!.shape));
      });
      const dims = { B, T, I, O, cmax, c, d };
      const xt = tf.tensor3d(Float32Array.from(x), [B, T, I]);
      const ctx = { training: false, lengthRule: 'reference' as const };
      const y = op.apply(xt, [T, T], ctx);
      expect(y).toBeAllclose(naive(x, w, b, g, be, dims), { rtol: 1e-4, atol: 1e-4 });
      const { grads } = tf.variableGrads(
        () =>
          tf.sum(
            tf.mul(op.apply(xt, [T, T], ctx), tf.tensor3d(Float32Array.from(proj), [B, T, O])),
          ) as tf.Scalar,
        vars,
      );
      const loss = (ws: Float64Array[]) =>
        naive(x, ws[0]!, ws[1]!, ws[2]!, ws[3]!, dims).reduce((a, v, i) => a + v * proj[i]!, 0);
      const params = [w, b, g, be];
      const eps = 1e-6;
      vars.forEach((v, pi) => {
        const want = new Float64Array(params[pi]!.length);
        for (let e = 0; e < want.length; e++) {
          const plus = params.map((p) => Float64Array.from(p));
          const minus = params.map((p) => Float64Array.from(p));
          plus[pi]![e]! += eps;
          minus[pi]![e]! -= eps;
          want[e] = (loss(plus) - loss(minus)) / (2 * eps);
        }
        const got = grads[v.name]!;
        expect(got).toBeAllclose(want, { rtol: 1e-3, atol: 1e-3 });
        if (pi === 0 && c < cmax) {
          // A kernel-3 candidate leaves the two outer taps untouched: their gradient is exactly 0.
          const gw = got.dataSync();
          for (const tapIndex of [0, 4]) {
            for (let e = tapIndex * I * O; e < (tapIndex + 1) * I * O; e++) expect(gw[e]).toBe(0);
          }
        }
      });
      tf.dispose([xt, y, ...Object.values(grads)]);
      for (const v2 of vars) v2.dispose();
    },
  );

  it('the ST arch step reaches every logit, and the weight step trains the shared kernel through any path', () => {
    const s = buildSupernet(small('entangled'), { seed: 3 });
    const x = tf.randomNormal([2, 9, 6], 0, 1, 'float32', 2) as tf.Tensor3D;
    const est = createEstimator('st');
    const arch = tf.variableGrads(() => {
      const r = s.apply(x, [9, 6], { mode: 'search', rng: createRng(5), estimator: est, training: false });
      return tf.sum(tf.square(r.logits)) as tf.Scalar;
    }, s.archVariables());
    expect(Object.keys(arch.grads)).toHaveLength(4);
    for (const g of Object.values(arch.grads))
      expect(Array.from(g.dataSync()).some((v) => v !== 0)).toBe(true);
    const kernel = s.namedWeights().get('block2.node0.superkernel.weight')!;
    const w = tf.variableGrads(() => {
      const r = s.apply(x, [9, 6], { mode: 'eval', choices: [0, 0, 0, 0], training: false });
      return tf.sum(tf.square(r.logits)) as tf.Scalar;
    }, [kernel]);
    const gw = Object.values(w.grads)[0]!.dataSync();
    const tap = 8 * 8; // one tap of the 8 -> 8 kernel
    expect(Array.from(gw.slice(0, tap)).every((v) => v === 0)).toBe(true);
    expect(Array.from(gw.slice(2 * tap, 3 * tap)).some((v) => v !== 0)).toBe(true);
    tf.dispose([x, arch.value, w.value, ...Object.values(arch.grads), ...Object.values(w.grads)]);
    s.dispose();
  });

  it('saves and loads by stable names: a fresh supernet with another seed gives identical outputs', () => {
    const a = buildSupernet(small('entangled'), { seed: 1 });
    const b = buildSupernet(small('entangled'), { seed: 2 });
    const x = tf.randomNormal([2, 9, 6], 0, 1, 'float32', 7) as tf.Tensor3D;
    const run = (m: typeof a) =>
      m.apply(x, [9, 7], { mode: 'eval', choices: [3, 1, 2, 0], training: false }).logits;
    const ya = run(a);
    const yb0 = run(b);
    expect(tf.max(tf.abs(tf.sub(ya, yb0))).dataSync()[0]).toBeGreaterThan(1e-3);
    expect(() => loadWeights(b, saveWeights(buildSupernet(small())))).toThrow(/superkernel/);
    loadWeights(b, saveWeights(a));
    const yb = run(b);
    expect(yb).toBeAllclose(ya, { rtol: 0, atol: 0 });
    tf.dispose([x, ya, yb0, yb]);
    a.dispose();
    b.dispose();
  });

  it('derives an ordinary model of the chosen ops, without weight_sharing, to retrain from scratch', () => {
    const s = buildSupernet(small('entangled'));
    const logits = s.archVariables();
    [1, 3, 2, 0].forEach((k, n) => {
      const a = new Float32Array(4);
      a[k] = 2;
      logits[n]!.assign(tf.tensor1d(a));
    });
    const derived = deriveArchitecture(s);
    expect(s.config.net_configs.weight_sharing).toBe('entangled');
    expect(derived.net_configs.weight_sharing).toBeUndefined();
    expect(derived.candidate).toEqual({
      base: ['tdnn-C1D2Nln'],
      '0-0': ['tdnn-C1D2Nln'],
      '1-0': ['tdnn-C2D2Nln'],
      '2-0': ['tdnn-C2D1Nln'],
      '3-0': ['tdnn-C1D1Nln'],
    });
    const m = buildModel(derived);
    const same = buildModel({ ...small(), candidate: derived.candidate });
    expect([...m.namedWeights().keys()]).toEqual([...same.namedWeights().keys()]);
    expect([...m.namedWeights().keys()]).toContain('block1.node0.tdnn-C2D2Nln.weight');
    // Kernels 3, 5, 5, 3 taps: 3*6*8 + 5*8*8 + 5*8*8 + 3*8*8, plus 4 x (bias + LN), plus the fixed layers.
    expect(countParams(m)).toBe(3 * 48 + 5 * 64 + 5 * 64 + 3 * 64 + 4 * 24 + 3 * 64 + 24 + 45);
    // An entangled config with one candidate per node also builds the ordinary model.
    const one = buildModel({ ...small('entangled'), candidate: derived.candidate });
    expect([...one.namedWeights().keys()]).toEqual([...same.namedWeights().keys()]);
    s.dispose();
    m.dispose();
    same.dispose();
    one.dispose();
  });

  it('rejects what it cannot share, naming the node and the field', () => {
    const bad = small('entangled');
    expect(() => buildSupernet({ ...bad, candidate: ['tdnn-C1D1Nln', 'lstm'] })).toThrow(
      /block0.node0: weight_sharing "entangled" needs stride-1 TDNN candidates, got lstm/,
    );
    expect(() => buildSupernet({ ...bad, candidate: ['tdnn-C1D1Nln', 'tdnn-C2D1Nbn'] })).toThrow(/one norm/);
    expect(() =>
      buildSupernet({
        ...bad,
        net_configs: { ...bad.net_configs, weight_sharing: 'tied' as 'entangled' },
      }),
    ).toThrow(/net_configs.weight_sharing must be "independent" or "entangled", got "tied"/);
  });
});

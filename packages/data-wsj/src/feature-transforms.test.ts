import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDeltas, deltaScales } from './add-deltas.ts';
import { applyCmvn } from './apply-cmvn.ts';
import { loadScp } from './load-scp.ts';
import { spliceFrames } from './splice-frames.ts';
import { KALDI, readAll } from './test-fixtures.ts';
import type { Matrix } from './types.ts';

const D = path.join(KALDI, 'datadir');
const F = path.join(KALDI, 'features');
const one = async (p: string) => (await readAll(p))[0]!.value as Matrix;

function maxUlpDiff(a: Float32Array | Float64Array, b: Float32Array | Float64Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    const ulp = Math.max(Math.abs(b[i]!), 1e-30) * 2 ** -23;
    worst = Math.max(worst, d / ulp);
  }
  return worst;
}

describe('applyCmvn against apply-cmvn --utt2spk', () => {
  for (const normVars of [false, true]) {
    it(`spk1, norm-vars=${normVars}: matches Kaldi's output`, async () => {
      const feats = await loadScp(path.join(D, 'feats.scp'));
      const cmvn = await loadScp(path.join(D, 'cmvn.scp'));
      const stats = await cmvn.getMatrix('spk1');
      expect(stats.data).toBeInstanceOf(Float64Array);
      const want = await readAll(path.join(D, `fbank/spk1.apply_cmvn_${normVars ? 'meanvar' : 'mean'}.ark`));
      expect(want.map((e) => e.key)).toEqual(['spk1-utt001', 'spk1-utt002', 'spk1-utt003', 'spk1-utt004']);
      let exact = 0;
      let total = 0;
      for (const e of want) {
        const got = applyCmvn(await feats.getMatrix(e.key), stats, { normVars });
        const w = e.value as Matrix;
        expect([got.rows, got.cols]).toEqual([w.rows, w.cols]);
        expect(got.data).toBeAllclose(w.data, { rtol: 1e-7, atol: 0 });
        for (let i = 0; i < w.data.length; i++) exact += got.data[i] === w.data[i] ? 1 : 0;
        total += w.data.length;
      }
      // Same float/double steps as Kaldi: every value is bit-identical.
      expect(exact).toBe(total);
      await feats.close();
      await cmvn.close();
    });
  }

  it('rejects mismatched dims, missing variance stats and empty counts', () => {
    const feats: Matrix = { rows: 1, cols: 2, data: Float32Array.of(1, 2) };
    expect(() => applyCmvn(feats, { rows: 2, cols: 4, data: new Float64Array(8) })).toThrow(
      /cmvn stats 2x4, feats 1x2/,
    );
    expect(() =>
      applyCmvn(feats, { rows: 1, cols: 3, data: Float64Array.of(1, 1, 1) }, { normVars: true }),
    ).toThrow(/no variance row/);
    expect(() => applyCmvn(feats, { rows: 2, cols: 3, data: new Float64Array(6) })).toThrow(/count = 0/);
  });

  it('closed form: mean and variance normalisation of [1, 3] gives [-1, 1]', () => {
    const feats: Matrix = { rows: 2, cols: 1, data: Float32Array.of(1, 3) };
    const stats: Matrix = { rows: 2, cols: 2, data: Float64Array.of(4, 2, 10, 0) };
    expect(Array.from(applyCmvn(feats, stats, { normVars: true }).data)).toEqual([-1, 1]);
    expect(Array.from(applyCmvn(feats, stats).data)).toEqual([-1, 1]);
  });
});

describe('addDeltas against add-deltas', () => {
  it('fbank40 -> 142x120 matching fbank40.deltas.ark', async () => {
    const x = await one(path.join(F, 'fbank40.ark'));
    const want = await one(path.join(F, 'fbank40.deltas.ark'));
    const got = addDeltas(x);
    expect([got.rows, got.cols]).toEqual([142, 120]);
    expect(Array.from(got.data.subarray(0, 40))).toEqual(Array.from(x.data.subarray(0, 40)));
    expect(got.data).toBeAllclose(want.data, { rtol: 1e-5, atol: 1e-5 });
    // With a fused multiply-add per term, as the BLAS saxpy Kaldi calls does, every bit agrees.
    expect(maxUlpDiff(got.data, want.data)).toBe(0);
  });

  it('window scales: [-2..2]/10 and its self-convolution /100', () => {
    const [s0, s1, s2] = deltaScales(2, 2);
    expect(Array.from(s0!)).toEqual([1]);
    expect(s1).toBeAllclose([-0.2, -0.1, 0, 0.1, 0.2], { rtol: 1e-7 });
    expect(s2).toBeAllclose(
      [4, 4, 1, -4, -10, -4, 1, 4, 4].map((v) => v / 100),
      { rtol: 1e-6, atol: 1e-9 },
    );
    expect(() => addDeltas({ rows: 1, cols: 1, data: Float32Array.of(1) }, { window: 0 })).toThrow(/window/);
  });
});

describe('spliceFrames against splice-feats', () => {
  it('fbank40 with left=right=2 equals fbank40.splice2.ark exactly', async () => {
    const x = await one(path.join(F, 'fbank40.ark'));
    const want = await one(path.join(F, 'fbank40.splice2.ark'));
    const got = spliceFrames(x, 2, 2);
    expect([got.rows, got.cols]).toEqual([142, 200]);
    expect(Array.from(got.data)).toEqual(Array.from(want.data));
    expect(() => spliceFrames({ rows: 0, cols: 0, data: new Float32Array(0) }, 1, 1)).toThrow(/empty input/);
  });
});

import path from 'node:path';
import { type Matrix, readArk } from '@stnas/data-wsj';
import { describe, expect, it } from 'vitest';
import { computeCmvnStats } from './cmvn-stats';
import { kaldiFixtures } from './testing/fixtures';

const dir = path.join(kaldiFixtures, 'datadir');

async function readAll(file: string): Promise<Map<string, Matrix>> {
  const out = new Map<string, Matrix>();
  for await (const { key, value } of readArk(file)) out.set(key, value as Matrix);
  return out;
}

describe('computeCmvnStats', () => {
  it('matches compute-cmvn-stats --spk2utt over the compressed feats (2 x 41 doubles)', async () => {
    const feats = await readAll(path.join(dir, 'fbank/raw_fbank_compressed.ark'));
    const want = await readAll(path.join(dir, 'fbank/cmvn.ark'));
    expect([...want.keys()]).toEqual(['spk1', 'spk2', 'spk3']);
    for (const [spk, stats] of want) {
      const utts = [...feats.keys()].filter((k) => k.startsWith(`${spk}-`));
      expect(utts.length).toBe(4);
      const got = computeCmvnStats(utts.map((u) => feats.get(u)!));
      expect([got.rows, got.cols, got.data instanceof Float64Array]).toEqual([2, 41, true]);
      expect(got.data).toBeAllclose(stats.data, { rtol: 1e-12, atol: 0 });
    }
  });

  it('accepts one matrix and rejects mismatched or malformed input', () => {
    const m = { rows: 2, cols: 2, data: Float32Array.from([1, 2, 3, 4]) };
    expect(Array.from(computeCmvnStats(m).data)).toEqual([4, 6, 2, 10, 20, 0]);
    expect(() => computeCmvnStats([m, { rows: 1, cols: 3, data: new Float32Array(3) }])).toThrow(
      /matrix 1 has 3 columns, expected 2/,
    );
    expect(() => computeCmvnStats([])).toThrow(/no feature matrices/);
    expect(() => computeCmvnStats({ rows: 2, cols: 2, data: new Float32Array(3) })).toThrow(
      /holds 3 values, not 2x2/,
    );
  });
});

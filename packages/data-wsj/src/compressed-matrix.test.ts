import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compress, decompress } from './compressed-matrix.ts';
import { KALDI, KIO, readAll } from './test-fixtures.ts';
import { isMatrix, type Matrix } from './types.ts';

const M = path.join(KALDI, 'matrices');
const mat = (v: unknown) => v as Matrix;

describe('decompression matches Kaldi', () => {
  for (const n of [1, 2, 3, 4, 5, 6, 7]) {
    it(`mats.cm${n}.ark equals copy-feats' own decompression bit for bit`, async () => {
      const got = await readAll(path.join(M, `mats.cm${n}.ark`));
      const want = await readAll(path.join(M, `mats.cm${n}.decompressed.ark`));
      expect(got.map((e) => e.key)).toEqual(want.map((e) => e.key));
      for (let i = 0; i < got.length; i++) {
        const a = mat(got[i]!.value);
        const b = mat(want[i]!.value);
        expect([a.rows, a.cols]).toEqual([b.rows, b.cols]);
        expect(Array.from(a.data)).toEqual(Array.from(b.data));
      }
    });
  }

  it('uses the header types Kaldi picked per method (CM above 8 rows, else CM2, for method 1)', () => {
    const buf = readFileSync(path.join(M, 'mats.cm1.ark'));
    const offsets = readFileSync(path.join(M, 'mats.cm1.scp'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => Number(l.split(':')[1]));
    const toks = offsets.map((o) => buf.toString('latin1', o + 2, o + 5));
    expect(toks).toEqual(['CM ', 'CM ', 'CM2', 'CM2', 'CM2', 'CM2', 'CM2']);
  });

  it('kaldi-io feats_compressed.ark decompresses to exactly feats.ark', async () => {
    const c = await readAll(path.join(KIO, 'feats_compressed.ark'));
    const p = await readAll(path.join(KIO, 'feats.ark'));
    expect(c.length).toBe(10);
    for (let i = 0; i < c.length; i++) {
      expect(c[i]!.key).toBe(p[i]!.key);
      expect(Array.from(mat(c[i]!.value).data)).toEqual(Array.from(mat(p[i]!.value).data));
    }
  });
});

describe('compression', () => {
  it('stays within the error bounds Kaldi reports for CM3 (method 5) on gauss_10x20', async () => {
    const src = mat((await readAll(path.join(M, 'mats.ark')))[0]!.value);
    const { format, bytes } = compress(src, 5);
    expect(format).toBe('CM3');
    const dv = new DataView(bytes.buffer);
    const back = decompress(
      {
        format,
        minValue: dv.getFloat32(0, true),
        range: dv.getFloat32(4, true),
        rows: src.rows,
        cols: src.cols,
      },
      bytes.subarray(16),
    );
    const err = Math.max(...Array.from(src.data, (v, i) => Math.abs(v - back.data[i]!)));
    expect(err).toBeGreaterThan(0.005);
    expect(err).toBeLessThan(0.0115); // README: cm5 gauss10 max abs error 0.011
  });

  it('column percentiles equal those of a full sort (Kaldi: nth_element), with many ties', async () => {
    const { mulberry32 } = await import('./seeded-random.ts');
    const rand = mulberry32(5);
    for (let trial = 0; trial < 40; trial++) {
      const rows = 5 + Math.floor(rand() * 300);
      const levels = 1 + Math.floor(rand() * 12); // few distinct values -> many ties
      const m = {
        rows,
        cols: 3,
        data: new Float32Array(rows * 3).map(() => Math.floor(rand() * levels) - 3),
      };
      const { bytes } = compress(m, 2);
      const dv = new DataView(bytes.buffer);
      const min = dv.getFloat32(0, true);
      const range = dv.getFloat32(4, true);
      const q = rows >> 2;
      for (let c = 0; c < 3; c++) {
        const sorted = Float32Array.from({ length: rows }, (_, r) => m.data[r * 3 + c]!).sort();
        // Percentiles are stored as uint16 codes of sorted[0], sorted[q], sorted[3q], sorted[n-1]
        // (then forced strictly increasing); check the first code, which is never adjusted upward.
        const code = Math.trunc(
          Math.fround(Math.fround(Math.fround(sorted[0]! - min) / range) * 65535) + 0.499,
        );
        expect(dv.getUint16(16 + 8 * c, true)).toBe(Math.min(code, 65532));
        const p25 = Math.trunc(
          Math.fround(Math.fround(Math.fround(sorted[q]! - min) / range) * 65535) + 0.499,
        );
        expect(dv.getUint16(16 + 8 * c + 2, true)).toBe(
          Math.min(Math.max(p25, Math.min(code, 65532) + 1), 65533),
        );
      }
    }
  });

  it('refuses NaN and infinity as Kaldi does', () => {
    expect(() => compress({ rows: 2, cols: 1, data: Float32Array.of(1, Number.NaN) }, 2)).toThrow(/NaN/);
    expect(() =>
      compress({ rows: 2, cols: 1, data: Float32Array.of(1, Number.POSITIVE_INFINITY) }, 3),
    ).toThrow(/infinite/);
  });

  it('decompressed values are all matrices of the original shape', async () => {
    for (const e of await readAll(path.join(M, 'mats.cm2.ark'))) expect(isMatrix(e.value)).toBe(true);
  });
});

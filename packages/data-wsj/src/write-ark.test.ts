import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../../../test/temp-dir.ts';
import { KALDI, KIO, readAll } from './test-fixtures.ts';
import type { ArkEntry } from './types.ts';
import { writeArk } from './write-ark.ts';

const M = path.join(KALDI, 'matrices');
const V = path.join(KALDI, 'vectors');
const tmp = () => testTempDir('data-wsj-write-');
const same = (a: string, b: string) => Buffer.compare(readFileSync(a), readFileSync(b)) === 0;

describe('writeArk is byte-identical to Kaldi', () => {
  it('FM binary ark and its scp (mats.ark, mats.scp)', async () => {
    const d = tmp();
    const res = await writeArk(path.join(d, 'mats.ark'), await readAll(path.join(M, 'mats.ark')));
    expect(same(path.join(d, 'mats.ark'), path.join(M, 'mats.ark'))).toBe(true);
    expect(readFileSync(path.join(d, 'mats.scp'), 'utf8')).toBe(
      readFileSync(path.join(M, 'mats.scp'), 'utf8'),
    );
    expect(res.offsets.get('feat_100x13')).toBe(839);
  });

  for (const n of [1, 2, 3, 4, 5, 6, 7] as const) {
    it(`copy-feats --compress=true --compression-method=${n} (mats.cm${n}.ark and .scp)`, async () => {
      const d = tmp();
      await writeArk(path.join(d, `mats.cm${n}.ark`), await readAll(path.join(M, 'mats.ark')), {
        compress: n,
      });
      expect(same(path.join(d, `mats.cm${n}.ark`), path.join(M, `mats.cm${n}.ark`))).toBe(true);
      expect(same(path.join(d, `mats.cm${n}.scp`), path.join(M, `mats.cm${n}.scp`))).toBe(true);
    });
  }

  it("named methods: 'auto' = 1, 'CM' = 2, 'CM2' = 3, 'CM3' = 5", async () => {
    const src = await readAll(path.join(M, 'mats.ark'));
    const d = tmp();
    for (const [name, n] of [
      ['auto', 1],
      ['CM', 2],
      ['CM2', 3],
      ['CM3', 5],
    ] as const) {
      await writeArk(path.join(d, `${name}.ark`), src, { compress: name, scp: false });
      expect(same(path.join(d, `${name}.ark`), path.join(M, `mats.cm${n}.ark`))).toBe(true);
    }
  });

  it('recompressing kaldi-io feats.ark reproduces feats_compressed.ark', async () => {
    const d = tmp();
    await writeArk(path.join(d, 'c.ark'), await readAll(path.join(KIO, 'feats.ark')), {
      compress: 'auto',
      scp: false,
    });
    expect(same(path.join(d, 'c.ark'), path.join(KIO, 'feats_compressed.ark'))).toBe(true);
  });

  it('text ark of matrices (copy-feats ark,t: mats.txt) with %.7g floats', async () => {
    const d = tmp();
    await writeArk(path.join(d, 'mats.txt'), await readAll(path.join(M, 'mats.ark')), {
      text: true,
      scp: false,
    });
    expect(same(path.join(d, 'mats.txt'), path.join(M, 'mats.txt'))).toBe(true);
  });

  it('text ark of the first two kaldi-io utterances equals feats_ascii.ark', async () => {
    const d = tmp();
    const two = (await readAll(path.join(KIO, 'feats.ark'))).slice(0, 2);
    await writeArk(path.join(d, 'a.ark'), two, { text: true, scp: false });
    expect(same(path.join(d, 'a.ark'), path.join(KIO, 'feats_ascii.ark'))).toBe(true);
  });

  it('int32 vectors, binary and text, with scp (ivec.ark/.txt/.scp, ali.ark, ali_ascii.ark)', async () => {
    const d = tmp();
    const iv = await readAll(path.join(V, 'ivec.ark'));
    await writeArk(path.join(d, 'ivec.ark'), iv);
    expect(same(path.join(d, 'ivec.ark'), path.join(V, 'ivec.ark'))).toBe(true);
    expect(same(path.join(d, 'ivec.scp'), path.join(V, 'ivec.scp'))).toBe(true);
    await writeArk(path.join(d, 'ivec.txt'), iv, { text: true, scp: false });
    expect(same(path.join(d, 'ivec.txt'), path.join(V, 'ivec.txt'))).toBe(true);
    const ali = await readAll(path.join(KIO, 'ali.ark'));
    await writeArk(path.join(d, 'ali.ark'), ali, { scp: false });
    await writeArk(path.join(d, 'ali.txt'), ali, { text: true, scp: false });
    expect(same(path.join(d, 'ali.ark'), path.join(KIO, 'ali.ark'))).toBe(true);
    expect(same(path.join(d, 'ali.txt'), path.join(KIO, 'ali_ascii.ark'))).toBe(true);
  });

  it('float vectors, binary and text (fvec, conf)', async () => {
    const d = tmp();
    const fv = await readAll(path.join(V, 'fvec.ark'));
    await writeArk(path.join(d, 'fvec.ark'), fv);
    expect(same(path.join(d, 'fvec.ark'), path.join(V, 'fvec.ark'))).toBe(true);
    expect(same(path.join(d, 'fvec.scp'), path.join(V, 'fvec.scp'))).toBe(true);
    await writeArk(path.join(d, 'fvec.txt'), fv, { text: true, scp: false });
    expect(same(path.join(d, 'fvec.txt'), path.join(V, 'fvec.txt'))).toBe(true);
    const conf = await readAll(path.join(KIO, 'conf.ark'));
    await writeArk(path.join(d, 'conf.txt'), conf, { text: true, scp: false });
    expect(same(path.join(d, 'conf.txt'), path.join(KIO, 'conf_ascii.ark'))).toBe(true);
    // binary -> text -> binary is exact for conf (README)
    await writeArk(path.join(d, 'conf.ark'), await readAll(path.join(d, 'conf.txt')), { scp: false });
    expect(same(path.join(d, 'conf.ark'), path.join(KIO, 'conf.ark'))).toBe(true);
  });

  it('DM double matrices with a text ark + scp (cmvn.ark, cmvn.txt)', async () => {
    const d = tmp();
    const cm = await readAll(path.join(KALDI, 'datadir/fbank/cmvn.ark'));
    expect(cm[0]!.value).toMatchObject({ rows: 2, cols: 41 });
    expect((cm[0]!.value as { data: unknown }).data).toBeInstanceOf(Float64Array);
    await writeArk(path.join(d, 'cmvn.ark'), cm, { scp: false });
    expect(same(path.join(d, 'cmvn.ark'), path.join(KALDI, 'datadir/fbank/cmvn.ark'))).toBe(true);
    await writeArk(path.join(d, 'cmvn.txt'), cm, { text: true, scp: false });
    expect(same(path.join(d, 'cmvn.txt'), path.join(KALDI, 'datadir/fbank/cmvn.txt'))).toBe(true);
  });

  it('empty FM matrix (empty.ark)', async () => {
    const d = tmp();
    await writeArk(path.join(d, 'e.ark'), await readAll(path.join(M, 'empty.ark')), { scp: false });
    expect(same(path.join(d, 'e.ark'), path.join(M, 'empty.ark'))).toBe(true);
  });

  it('text ark offsets in the scp point after "key "', async () => {
    const d = tmp();
    const two = (await readAll(path.join(KIO, 'feats.ark'))).slice(0, 2);
    await writeArk(path.join(d, 'a.ark'), two, { text: true });
    const offs = readFileSync(path.join(d, 'a.scp'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => Number(l.split(':').at(-1)));
    expect(offs).toEqual([39, 35877]); // the offsets in kaldi-io's feats_ascii.scp
  });
});

describe('writeArk safety', () => {
  it('is atomic: a failure mid-way leaves the old files untouched and no temp files', async () => {
    const d = tmp();
    const ark = path.join(d, 'x.ark');
    writeFileSync(ark, 'old');
    async function* entries(): AsyncGenerator<ArkEntry> {
      yield { key: 'a', value: { rows: 1, cols: 1, data: Float32Array.of(1) } };
      throw new Error('producer failed');
    }
    await expect(writeArk(ark, entries())).rejects.toThrow('producer failed');
    expect(readFileSync(ark, 'utf8')).toBe('old');
    expect(readdirSync(d)).toEqual(['x.ark']);
  });

  it('rejects bad keys and inconsistent matrices, naming the entry', async () => {
    const d = tmp();
    await expect(writeArk(path.join(d, 'k.ark'), [{ key: 'a b', value: Int32Array.of(1) }])).rejects.toThrow(
      /entry 0: key "a b"/,
    );
    await expect(
      writeArk(path.join(d, 'k.ark'), [{ key: 'm', value: { rows: 2, cols: 2, data: new Float32Array(3) } }]),
    ).rejects.toThrow(/m: matrix 2x2 needs 4 values, has 3/);
    await expect(writeArk(path.join(d, 'k.ark'), [], { compress: 9 as never })).rejects.toThrow(/compress/);
    expect(existsSync(path.join(d, 'k.ark'))).toBe(false);
  });
});

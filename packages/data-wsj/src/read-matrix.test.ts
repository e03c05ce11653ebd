import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../../../test/temp-dir.ts';
import { loadScp, parseScp } from './load-scp.ts';
import { readMatrix, readObject } from './read-matrix.ts';
import { KALDI, KIO, readAll } from './test-fixtures.ts';
import type { Matrix } from './types.ts';

const M = path.join(KALDI, 'matrices');

describe('readMatrix with Kaldi inclusive ranges', () => {
  it('ranges.scp reproduces what copy-feats scp:ranges.scp wrote (ranges.expected.ark), bit for bit', async () => {
    const scp = await loadScp(path.join(M, 'ranges.scp'));
    const want = await readAll(path.join(M, 'ranges.expected.ark'));
    expect(scp.keys()).toEqual(want.map((e) => e.key));
    const shapes: [number, number][] = [];
    for (const e of want) {
      const got = await scp.getMatrix(e.key);
      const w = e.value as Matrix;
      shapes.push([got.rows, got.cols]);
      expect([got.rows, got.cols]).toEqual([w.rows, w.cols]);
      expect(Array.from(got.data)).toEqual(Array.from(w.data));
    }
    expect(shapes).toEqual([
      [10, 13],
      [5, 4],
      [10, 1],
      [5, 13],
    ]);
    await scp.close();
  });

  it('[0:5] is 6 rows, [:] all rows; a column past the end is rejected as Kaldi does', async () => {
    const d = testTempDir('data-wsj-scp-');
    copyFileSync(path.join(KIO, 'feats_ascii.ark'), path.join(d, 'feats_ascii.ark'));
    const lines = parseScp(
      readFileSync(path.join(KIO, 'feats_ascii.scp'), 'utf8').replaceAll('tests/data/', ''),
      'feats_ascii.scp',
    );
    expect(lines.length).toBe(6);
    const read = (i: number) => readMatrix(lines[i]!.rxfilename, { baseDir: d });
    expect((await read(0)).rows).toBe(285);
    expect((await read(2)).rows).toBe(199);
    const six = await read(3);
    expect([six.rows, six.cols]).toEqual([6, 13]);
    expect(Array.from(six.data)).toEqual(Array.from((await read(1)).data.subarray(0, 6 * 13)));
    await expect(read(4)).rejects.toThrow(/column range \[7:13\] is outside the matrix's 13 columns/);
    await expect(read(5)).rejects.toThrow(/column range/);
    // A duplicated key is an error for random access, naming both lines.
    writeFileSync(path.join(d, 'f.scp'), lines.map((l) => `${l.key} ${l.rxfilename}\n`).join(''));
    await expect(loadScp(path.join(d, 'f.scp'))).rejects.toThrow(/_slice2" is on lines 4 and 5/);
  });

  it('a row past the end is rejected; reversed ranges are rejected', async () => {
    await expect(readMatrix(`${path.join(M, 'mats.ark')}:839[95:100]`)).rejects.toThrow(
      /row range \[95:100\] is outside the matrix's 100 rows/,
    );
    await expect(readMatrix(`${path.join(M, 'mats.ark')}:839[5:4]`)).rejects.toThrow(
      /end 4 is before start 5/,
    );
  });

  it('readMatrix refuses vectors; readObject returns them', async () => {
    const V = path.join(KALDI, 'vectors');
    await expect(readMatrix(`${path.join(V, 'fvec.ark')}:6`)).rejects.toThrow(/expected a matrix/);
    expect(await readObject(`${path.join(V, 'ivec.ark')}:79`)).toEqual(Int32Array.of(110));
  });
});

describe('loadScp', () => {
  it('every scp offset in the fixtures names the same object as the sequential ark', async () => {
    const pairs = [
      [path.join(M, 'mats.scp'), path.join(M, 'mats.ark')],
      ...[1, 2, 3, 4, 5, 6, 7].map((n) => [path.join(M, `mats.cm${n}.scp`), path.join(M, `mats.cm${n}.ark`)]),
      [path.join(KALDI, 'vectors/ivec.scp'), path.join(KALDI, 'vectors/ivec.ark')],
      [path.join(KALDI, 'vectors/fvec.scp'), path.join(KALDI, 'vectors/fvec.ark')],
      [path.join(KALDI, 'datadir/cmvn.scp'), path.join(KALDI, 'datadir/fbank/cmvn.ark')],
      [path.join(KALDI, 'datadir/feats.scp'), path.join(KALDI, 'datadir/fbank/raw_fbank_compressed.ark')],
      // This scp was written from the data dir, so its paths are relative to it.
      [
        path.join(KALDI, 'datadir/fbank/raw_fbank.scp'),
        path.join(KALDI, 'datadir/fbank/raw_fbank.ark'),
        path.join(KALDI, 'datadir'),
      ],
    ];
    for (const [scpPath, arkPath, baseDir] of pairs) {
      const scp = await loadScp(scpPath!, { baseDir });
      const seq = await readAll(arkPath!);
      expect(scp.keys()).toEqual(seq.map((e) => e.key));
      for (const e of seq) expect(await scp.get(e.key)).toEqual(e.value);
      await scp.close();
    }
  });

  it('kaldi-io conf.scp offsets (prefix rewritten) point at each entry', async () => {
    const d = testTempDir('data-wsj-conf-');
    copyFileSync(path.join(KIO, 'conf.ark'), path.join(d, 'conf.ark'));
    writeFileSync(
      path.join(d, 'conf.scp'),
      readFileSync(path.join(KIO, 'conf.scp'), 'utf8').replaceAll('tests/data/', ''),
    );
    const scp = await loadScp(path.join(d, 'conf.scp'));
    const seq = await readAll(path.join(d, 'conf.ark'));
    expect(scp.entry(seq[1]!.key)?.rxfilename).toBe('conf.ark:314');
    for (const e of seq) expect(await scp.get(e.key)).toEqual(e.value);
  });

  it('numRows reads headers of FM and CM entries', async () => {
    const scp = await loadScp(path.join(KALDI, 'datadir/feats.scp'));
    const nf = readFileSync(path.join(KALDI, 'datadir/utt2num_frames'), 'utf8').trim().split('\n');
    for (const l of nf) {
      const [k, n] = l.trim().split(' ');
      expect(await scp.numRows(k!)).toBe(Number(n));
    }
    const cm2 = await loadScp(path.join(M, 'mats.cm3.scp'));
    expect(await cm2.numRows('feat_100x13')).toBe(100);
  });

  it('keeps at most maxOpenFiles handles open across many files', async () => {
    const d = testTempDir('data-wsj-many-');
    let scpText = '';
    for (let i = 0; i < 12; i++) {
      copyFileSync(path.join(KALDI, 'vectors/ivec.ark'), path.join(d, `f${i}.ark`));
      scpText += `k${String(i).padStart(2, '0')} f${i}.ark:79\n`;
    }
    writeFileSync(path.join(d, 'x.scp'), scpText);
    const scp = await loadScp(path.join(d, 'x.scp'), { maxOpenFiles: 3 });
    expect(scp.openFiles()).toBe(0); // lazy
    let peak = 0;
    await Promise.all(
      scp.keys().map(async (k) => {
        expect(await scp.get(k)).toEqual(Int32Array.of(110));
        peak = Math.max(peak, scp.openFiles());
      }),
    );
    expect(scp.openFiles()).toBeLessThanOrEqual(3);
    for (const k of scp.keys()) await scp.get(k);
    expect(scp.openFiles()).toBeLessThanOrEqual(3);
    await scp.close();
    expect(scp.openFiles()).toBe(0);
    expect(peak).toBeGreaterThan(0);
  });

  it('names the scp and key when a key is absent; refuses pipes without allowPipes', async () => {
    const d = testTempDir('data-wsj-p-');
    writeFileSync(path.join(d, 'p.scp'), `a cat ${path.join(KALDI, 'vectors/ivec.ark')} |\n`);
    const scp = await loadScp(path.join(d, 'p.scp'));
    await expect(scp.get('zz')).rejects.toThrow(/p\.scp: no key "zz"/);
    await expect(scp.get('a')).rejects.toThrow(/p\.scp line 1 \(a\).*allowPipes/);
    const ok = await loadScp(path.join(d, 'p.scp'), { allowPipes: true });
    // The whole pipe output is one object: the first int vector after its key? No: an rxfilename
    // names a single object, so reading the ark's bytes fails at the key, clearly.
    await expect(ok.get('a')).rejects.toThrow(/byte 0: expected/);
    writeFileSync(path.join(d, 'q.scp'), `a tail -c +7 ${path.join(KALDI, 'vectors/ivec.ark')} |\n`);
    const q = await loadScp(path.join(d, 'q.scp'), { allowPipes: true });
    expect(Array.from((await q.get('a')) as Int32Array).slice(0, 3)).toEqual([109, 58, 168]);
  });
});

import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../../../test/temp-dir.ts';
import { readArk } from './read-ark.ts';
import { PipeNotAllowedError } from './rxspecifier.ts';
import { KALDI, KIO, readAll } from './test-fixtures.ts';
import type { Matrix, Vector } from './types.ts';

const M = path.join(KALDI, 'matrices');
const V = path.join(KALDI, 'vectors');
const data = (v: unknown) => Array.from((v as Matrix).data);

describe('readArk on Kaldi-written files', () => {
  it('binary FM ark: 7 keys, shapes from the README, agreeing with the text ark to 7 digits', async () => {
    const bin = await readAll(path.join(M, 'mats.ark'));
    const txt = await readAll(path.join(M, 'mats.txt'));
    expect(bin.map((e) => [e.key, (e.value as Matrix).rows, (e.value as Matrix).cols])).toEqual([
      ['gauss_10x20', 10, 20],
      ['feat_100x13', 100, 13],
      ['gauss_5x7', 5, 7],
      ['int_4x6', 4, 6],
      ['unit_6x5', 6, 5],
      ['const_3x4', 3, 4],
      ['row_1x8', 1, 8],
    ]);
    expect(txt.map((e) => e.key)).toEqual(bin.map((e) => e.key));
    for (let i = 0; i < bin.length; i++) {
      expect((bin[i]!.value as Matrix).data).toBeInstanceOf(Float32Array);
      expect(data(txt[i]!.value)).toBeAllclose(data(bin[i]!.value), { rtol: 6e-7, atol: 1e-30 });
    }
    expect(data(bin[5]!.value)).toEqual(new Array(12).fill(1.25));
    expect(data(bin[3]!.value).every((v) => Number.isInteger(v) && Math.abs(v) <= 300)).toBe(true);
  });

  it('empty 0x0 FM matrix', async () => {
    expect(await readAll(path.join(M, 'empty.ark'))).toEqual([
      { key: 'empty_0x0', value: { rows: 0, cols: 0, data: new Float32Array(0) } },
    ]);
  });

  it('int32 vectors: binary equals text, lengths 12/1/30/0', async () => {
    const b = await readAll(path.join(V, 'ivec.ark'));
    const t = await readAll(path.join(V, 'ivec.txt'));
    expect(b.map((e) => [e.key, (e.value as Int32Array).length])).toEqual([
      ['ali_a', 12],
      ['ali_b', 1],
      ['ali_c', 30],
      ['ali_empty', 0],
    ]);
    expect(t).toEqual(b);
    expect(Array.from(b[0]!.value as Int32Array)).toEqual([
      109, 58, 168, 80, 160, 48, 158, 158, 67, 40, 159, 125,
    ]);
  });

  it('float vectors: FV binary equals the text form', async () => {
    const b = await readAll(path.join(V, 'fvec.ark'));
    const t = await readAll(path.join(V, 'fvec.txt'));
    expect(b.map((e) => [e.key, (e.value as Vector).data.length])).toEqual([
      ['vec_a', 7],
      ['vec_b', 1],
      ['vec_c', 25],
    ]);
    for (let i = 0; i < b.length; i++)
      expect(data(t[i]!.value)).toBeAllclose(data(b[i]!.value), { rtol: 6e-7 });
    expect((b[1]!.value as Vector).data[0]).toBeCloseTo(-0.2007708, 7);
  });

  it('kaldi-io: ali.ark equals ali_ascii.ark; conf.ark matches conf_ascii.ark; feats_ascii matches feats', async () => {
    const ali = await readAll(path.join(KIO, 'ali.ark'));
    expect(ali.length).toBe(10);
    expect(ali.slice(0, 3).map((e) => (e.value as Int32Array).length)).toEqual([449, 267, 246]);
    expect(await readAll(path.join(KIO, 'ali_ascii.ark'))).toEqual(ali);
    const conf = await readAll(path.join(KIO, 'conf.ark'));
    expect(conf.slice(0, 4).map((e) => (e.value as Vector).data.length)).toEqual([58, 299, 58, 625]);
    const confT = await readAll(path.join(KIO, 'conf_ascii.ark'));
    for (let i = 0; i < 10; i++) expect(data(confT[i]!.value)).toEqual(data(conf[i]!.value));
    const feats = await readAll(path.join(KIO, 'feats.ark'));
    expect(feats.map((e) => (e.value as Matrix).rows)).toEqual([
      285, 199, 415, 105, 118, 255, 111, 418, 130, 359,
    ]);
    const ascii = await readAll(path.join(KIO, 'feats_ascii.ark'));
    expect(ascii.length).toBe(2);
    for (let i = 0; i < 2; i++)
      expect(data(ascii[i]!.value)).toBeAllclose(data(feats[i]!.value), { atol: 7.7e-6, rtol: 0 });
  });

  it('DM text is read as float64 when asked (cmvn.txt equals cmvn.ark to 7 digits)', async () => {
    const b = await readAll(path.join(KALDI, 'datadir/fbank/cmvn.ark'));
    const t = await readAll(path.join(KALDI, 'datadir/fbank/cmvn.txt'), { textPrecision: 'float64' });
    expect((t[0]!.value as Matrix).data).toBeInstanceOf(Float64Array);
    for (let i = 0; i < 3; i++) expect(data(t[i]!.value)).toBeAllclose(data(b[i]!.value), { rtol: 6e-7 });
    expect(b.map((e) => e.key)).toEqual(['spk1', 'spk2', 'spk3']);
  });

  it('unsupported entry types (kaldi-io 1.cnet Posterior) fail clearly instead of giving garbage', async () => {
    await expect(readAll(path.join(KIO, '1.cnet'))).rejects.toThrow(
      /1\.cnet: byte 122: expected a key; \\x04 here means the previous entry was not a plain int32 vector/,
    );
  });

  it('accepts the ark: prefix and starts at an offset (at a key, 12 bytes before the scp offset 839)', async () => {
    const all = await readAll(`ark:${path.join(M, 'mats.ark')}:827`);
    expect(all.map((e) => e.key)).toEqual([
      'feat_100x13',
      'gauss_5x7',
      'int_4x6',
      'unit_6x5',
      'const_3x4',
      'row_1x8',
    ]);
  });
});

describe('pipes', () => {
  it('are refused without allowPipes, with a reason', async () => {
    await expect(readAll(`cat ${path.join(M, 'mats.ark')} |`)).rejects.toThrow(PipeNotAllowedError);
    await expect(readAll(`cat ${path.join(M, 'mats.ark')} |`)).rejects.toThrow(/allowPipes: true/);
  });

  it('run with allowPipes and give the same entries', async () => {
    const viaPipe = await readAll(`ark:cat ${path.join(M, 'mats.cm1.ark')} |`, { allowPipes: true });
    expect(viaPipe).toEqual(await readAll(path.join(M, 'mats.cm1.ark')));
  });

  it('report a failing command with its exit status and stderr', async () => {
    const d = testTempDir('data-wsj-pipe-');
    const script = path.join(d, 'fail.sh');
    writeFileSync(script, `#!/bin/sh\ncat ${path.join(V, 'ivec.ark')}\necho boom >&2\nexit 3\n`);
    chmodSync(script, 0o755);
    await expect(readAll(`${script} |`, { allowPipes: true })).rejects.toThrow(/exited with status 3: boom/);
  });

  it('stopping early ends the producer instead of hanging', async () => {
    for await (const e of readArk('yes "k 1 2 3" |', { allowPipes: true })) {
      expect(e).toEqual({ key: 'k', value: Int32Array.of(1, 2, 3) });
      break;
    }
  });
});

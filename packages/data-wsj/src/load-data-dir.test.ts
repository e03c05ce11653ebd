import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../../../test/temp-dir.ts';
import { loadDataDir } from './load-data-dir.ts';
import { KALDI } from './test-fixtures.ts';

const D = path.join(KALDI, 'datadir');

function copyDir(): string {
  const d = path.join(testTempDir('data-wsj-dd-'), 'data');
  cpSync(D, d, { recursive: true });
  return d;
}
const edit = (d: string, f: string, fn: (s: string) => string) =>
  writeFileSync(path.join(d, f), fn(readFileSync(path.join(d, f), 'utf8')));

describe('loadDataDir', () => {
  it('loads the WSJ-style fixture: 12 utterances, 3 speakers, CM feats, per-speaker cmvn', async () => {
    const dd = await loadDataDir(D);
    expect(dd.utts.length).toBe(12);
    expect(dd.speakers).toEqual(['spk1', 'spk2', 'spk3']);
    expect(dd.spk2utt.get('spk2')).toEqual(['spk2-utt001', 'spk2-utt002', 'spk2-utt003', 'spk2-utt004']);
    expect(dd.utt2spk.get('spk3-utt004')).toBe('spk3');
    expect(dd.text?.get('spk1-utt001')?.slice(0, 3)).toEqual(['THE', 'COMPANY', 'SAID']);
    expect(dd.cmvnPerUtt).toBe(false);
    expect(dd.numFrames?.get('spk1-utt002')).toBe(373); // utt2num_frames has a trailing space
    expect(dd.wav?.get('spk1-utt001')).toBe('wav/spk1-utt001.wav');
    const m = await dd.feats.getMatrix('spk1-utt001');
    expect([m.rows, m.cols]).toEqual([344, 40]);
    const s = await dd.cmvn!.getMatrix('spk1');
    expect([s.rows, s.cols]).toEqual([2, 41]);
    // The count in stats(0, D) is the speaker's frame total.
    const total = dd.spk2utt.get('spk1')!.reduce((a, u) => a + dd.numFrames!.get(u)!, 0);
    expect(s.data[40]).toBe(total);
    await dd.close();
  });

  it('reads CMVN stats from a text ark as doubles (what the corpus generator writes)', async () => {
    const d = copyDir();
    const { readAll } = await import('./test-fixtures.ts');
    const { writeArk } = await import('./write-ark.ts');
    const stats = await readAll(path.join(D, 'fbank/cmvn.ark'));
    await writeArk(path.join(d, 'cmvn_text.ark'), stats, { text: true, scp: path.join(d, 'cmvn.scp') });
    const dd = await loadDataDir(d);
    const got = await dd.cmvn!.getMatrix('spk2');
    expect(got.data).toBeInstanceOf(Float64Array);
    expect(got.data).toBeAllclose((stats[1]!.value as { data: Float64Array }).data, { rtol: 6e-7 });
    expect(readFileSync(path.join(d, 'cmvn.scp'), 'utf8').split('\n')[0]).toBe('spk1 cmvn_text.ark:5');
    await dd.close();
  });

  it('names a missing utterance in feats.scp', async () => {
    const d = copyDir();
    edit(d, 'feats.scp', (s) =>
      s
        .split('\n')
        .filter((l) => !l.startsWith('spk2-utt003'))
        .join('\n'),
    );
    await expect(loadDataDir(d)).rejects.toThrow(
      /feats\.scp: keys do not match utt2spk; missing 1: spk2-utt003$/,
    );
  });

  it('names an extra utterance in text', async () => {
    const d = copyDir();
    edit(d, 'text', (s) => `${s}spk9-utt001 HELLO\n`);
    await expect(loadDataDir(d)).rejects.toThrow(/text: keys do not match utt2spk; extra 1: spk9-utt001/);
  });

  it('rejects unsorted tables with the line', async () => {
    const d = copyDir();
    edit(d, 'utt2spk', (s) => {
      const l = s.trim().split('\n');
      [l[0], l[1]] = [l[1]!, l[0]!];
      return `${l.join('\n')}\n`;
    });
    await expect(loadDataDir(d)).rejects.toThrow(
      /utt2spk:2: keys must be sorted in C order .*"spk1-utt001" follows "spk1-utt002"/,
    );
  });

  it('rejects an utterance under the wrong speaker in spk2utt', async () => {
    const d = copyDir();
    edit(d, 'spk2utt', (s) => s.replace('spk2 spk2-utt001', 'spk2 spk1-utt001 spk2-utt001'));
    await expect(loadDataDir(d)).rejects.toThrow(
      /spk2utt:2: utterance "spk1-utt001" is under speaker spk2 but utt2spk says spk1/,
    );
  });

  it('rejects cmvn.scp missing a speaker, and duplicate keys with both lines', async () => {
    const d = copyDir();
    edit(d, 'cmvn.scp', (s) => s.replace(/spk3 .*\n/, ''));
    await expect(loadDataDir(d)).rejects.toThrow(
      /cmvn\.scp: keys do not match the speakers of utt2spk; missing 1: spk3/,
    );
    const e = copyDir();
    edit(e, 'text', (s) => s.replace('spk1-utt002', 'spk1-utt001'));
    await expect(loadDataDir(e)).rejects.toThrow(/text:2: duplicate key "spk1-utt001" \(first on line 1\)/);
  });

  it('reports a missing required file', async () => {
    const d = testTempDir('data-wsj-empty-');
    await expect(loadDataDir(d)).rejects.toThrow(/not a data dir: utt2spk is missing/);
  });
});

import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  buildUnits,
  type DataDir,
  labelTranscripts,
  loadDataDir,
  readLexicon,
  readTable,
  readUnits,
} from '@stnas/data-wsj';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusDir, corpusSplits, lexiconPath, unitsPath } from './index';

const splits = corpusSplits();
const dirs: Record<string, DataDir> = {};

beforeAll(async () => {
  for (const [name, dir] of Object.entries(splits))
    dirs[name] = await loadDataDir(dir, { requireCmvn: true });
});
afterAll(async () => {
  for (const d of Object.values(dirs)) {
    await d.feats.close();
    await d.cmvn?.close();
  }
});

function dirSize(dir: string): number {
  let n = 0;
  for (const f of [
    'feats.ark',
    'feats.scp',
    'cmvn.ark',
    'cmvn.scp',
    'text',
    'utt2spk',
    'spk2utt',
    'utt2num_frames',
    'utt2dur',
  ]) {
    n += statSync(path.join(dir, f)).size;
  }
  return n;
}

describe('the bundled corpus', () => {
  it('has absolute paths to existing data dirs and lang files', () => {
    expect(path.isAbsolute(corpusDir())).toBe(true);
    for (const p of [...Object.values(splits), lexiconPath(), unitsPath()]) expect(existsSync(p)).toBe(true);
  });

  it('loads with loadDataDir: 16/3/4 speakers, 800/90/120 utterances, 40-dim CM features', async () => {
    expect([dirs.train!.speakers.length, dirs.dev!.speakers.length, dirs.test!.speakers.length]).toEqual([
      16, 3, 4,
    ]);
    expect([dirs.train!.utts.length, dirs.dev!.utts.length, dirs.test!.utts.length]).toEqual([800, 90, 120]);
    const first = await dirs.train!.feats.getMatrix(dirs.train!.utts[0]!);
    expect(first.cols).toBe(40);
    expect(
      readFileSync(path.join(splits.train, 'feats.ark')).subarray(0, 40).includes(Buffer.from('\0BCM ')),
    ).toBe(true);
  });

  it('utt2num_frames matches the stored matrices, and durations add up to about 40 minutes', async () => {
    let seconds = 0;
    for (const [name, d] of Object.entries(dirs)) {
      const dir = splits[name as keyof typeof splits];
      const frames = new Map(
        (await readTable(path.join(dir, 'utt2num_frames'))).map((l) => [l.key, l.value]),
      );
      expect([...frames.keys()]).toEqual(d.utts);
      for (const utt of d.utts.filter((_, i) => i % 37 === 0)) {
        expect(await d.feats.numRows(utt)).toBe(Number(frames.get(utt)));
      }
      for (const l of await readTable(path.join(dir, 'utt2dur'))) seconds += Number(l.value);
    }
    expect(seconds / 60).toBeGreaterThan(35);
    expect(seconds / 60).toBeLessThan(45);
  });

  it('per-speaker CMVN stats count the speaker frames and hold their sums (2 x 41 doubles)', async () => {
    const d = dirs.dev!;
    const spk = d.speakers[0]!;
    const stats = await d.cmvn!.getMatrix(spk);
    expect([stats.rows, stats.cols, stats.data instanceof Float64Array]).toEqual([2, 41, true]);
    const sum = new Float64Array(40);
    let frames = 0;
    for (const utt of d.spk2utt.get(spk)!) {
      const m = await d.feats.getMatrix(utt);
      frames += m.rows;
      for (let i = 0; i < m.data.length; i++) sum[i % 40] = sum[i % 40]! + m.data[i]!;
    }
    expect(stats.data[40]).toBe(frames);
    expect(stats.data.subarray(0, 40)).toBeAllclose(sum, { rtol: 1e-9 });
  });

  it('maps every transcript to phones with no OOV, and the units are <blk>, 39 phones and SIL', async () => {
    const lexicon = await readLexicon(lexiconPath());
    const units = await readUnits(unitsPath());
    expect(units.length).toBe(41);
    expect(units[0]).toBe('<blk>');
    expect(units).toContain('SIL');
    expect(buildUnits(lexicon)).toEqual(units);
    for (const d of Object.values(dirs)) {
      const { labels, oov } = labelTranscripts(d.text!, lexicon, units);
      expect(oov.size).toBe(0);
      for (const ids of labels.values()) expect(ids.length).toBeGreaterThan(5);
    }
  });

  it('keeps splits disjoint by speaker and by sentence, with 800+ distinct sentences', () => {
    const sentences = (d: DataDir) => new Set([...d.text!.values()].map((w) => w.join(' ')));
    const [tr, dv, te] = [dirs.train!, dirs.dev!, dirs.test!];
    for (const [a, b] of [
      [tr, dv],
      [tr, te],
      [dv, te],
    ] as const) {
      expect(a.speakers.filter((s) => b.speakers.includes(s))).toEqual([]);
      const sb = sentences(b);
      expect([...sentences(a)].filter((s) => sb.has(s))).toEqual([]);
    }
    expect(sentences(tr).size + sentences(dv).size + sentences(te).size).toBeGreaterThanOrEqual(800);
  });

  it('stays under 15 MB', () => {
    const total = Object.values(splits).reduce((n, d) => n + dirSize(d), 0);
    expect(total).toBeLessThan(15e6);
  });
});

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadDataDir, readTable } from '@stnas/data-wsj';
import { describe, expect, it } from 'vitest';
import { corpusSplits, fliteTestDir } from './index';

describe('the flite evaluation set', () => {
  it('holds the test sentences spoken once each by 4 flite voices, as CM fbank with CMVN, under 1.5 MB', async () => {
    const dir = await loadDataDir(fliteTestDir(), { requireCmvn: true });
    try {
      expect(dir.speakers).toEqual(['flite_awb', 'flite_kal16', 'flite_rms', 'flite_slt']);
      expect(dir.utts).toHaveLength(120);
      // same sentences as test/, under flite ids
      const test = new Map(
        (await readTable(path.join(corpusSplits().test, 'text'))).map((l) => [l.key, l.value]),
      );
      for (const u of dir.utts)
        expect(dir.text!.get(u)!.join(' ')).toBe(test.get(u.replace(/^flite_[a-z0-9]+-/, '')));
      expect(new Set(dir.utts.map((u) => u.replace(/^flite_[a-z0-9]+-/, '')))).toEqual(new Set(test.keys()));
      const frames = new Map(
        (await readTable(path.join(fliteTestDir(), 'utt2num_frames'))).map((l) => [l.key, Number(l.value)]),
      );
      for (const u of dir.utts.filter((_, i) => i % 17 === 0)) {
        const m = await dir.feats.getMatrix(u);
        expect([m.rows, m.cols]).toEqual([frames.get(u), 40]);
      }
      const st = await dir.cmvn!.getMatrix('flite_slt');
      const slt = dir.spk2utt.get('flite_slt')!;
      expect(st.data[40]).toBe(slt.reduce((n, u) => n + frames.get(u)!, 0));
    } finally {
      await dir.feats.close();
      await dir.cmvn?.close();
    }
    expect(
      readFileSync(path.join(fliteTestDir(), 'feats.ark')).subarray(0, 40).includes(Buffer.from('\0BCM ')),
    ).toBe(true);
    const size = readdirSync(fliteTestDir()).reduce(
      (n, f) => n + statSync(path.join(fliteTestDir(), f)).size,
      0,
    );
    expect(size).toBeLessThan(1.5e6);
  });
});

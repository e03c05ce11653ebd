import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadDataDir, readTable } from '@stnas/data-wsj';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCorpus } from './generate';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('generateCorpus with speedPerturb', () => {
  it('adds sp1.1- copies of the train split only, 1/1.1 as long, and keeps test_flite when the test text is unchanged', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'stnas-gen-'));
    dirs.push(root);
    const outDir = path.join(root, 'data');
    const perSpeaker = { train: 1, dev: 1, test: 1 };
    await generateCorpus({ outDir, perSpeaker, seed: 5 });
    await mkdir(path.join(outDir, 'test_flite'));
    await writeFile(path.join(outDir, 'test_flite', 'marker'), 'kept');
    const summary = await generateCorpus({ outDir, perSpeaker, seed: 5, speedPerturb: [1.0, 1.1] });
    expect(await readFile(path.join(outDir, 'test_flite', 'marker'), 'utf8')).toBe('kept');
    expect([summary.train!.utterances, summary.train!.speakers]).toEqual([32, 32]);
    expect([summary.dev!.utterances, summary.test!.utterances]).toEqual([3, 4]);
    const train = await loadDataDir(path.join(outDir, 'train'), { requireCmvn: true });
    try {
      expect(train.utts.slice(0, 2)).toEqual(['sp1.1-tr01-001', 'sp1.1-tr02-001']);
      expect(train.utts.at(-1)).toBe('tr16-001');
      expect(train.utt2spk.get('sp1.1-tr03-001')).toBe('sp1.1-tr03');
      expect(train.text!.get('sp1.1-tr03-001')).toEqual(train.text!.get('tr03-001'));
      const dur = new Map(
        (await readTable(path.join(outDir, 'train', 'utt2dur'))).map((l) => [l.key, Number(l.value)]),
      );
      for (const u of train.utts.filter((x) => !x.startsWith('sp')))
        expect(Math.abs(dur.get(`sp1.1-${u}`)! - dur.get(u)! / 1.1)).toBeLessThan(1e-4);
    } finally {
      await train.feats.close();
      await train.cmvn?.close();
    }
    const testUtts = (await readTable(path.join(outDir, 'test', 'utt2spk'))).map((l) => l.key);
    expect(testUtts.some((u) => u.startsWith('sp'))).toBe(false);
  }, 60_000);

  it('rejects a bad factor before synthesising anything', async () => {
    await expect(
      generateCorpus({ outDir: path.join(os.tmpdir(), 'never'), speedPerturb: [0] }),
    ).rejects.toThrow(/perturbSpeed: factor must be a positive/);
  });
});

// `stnas prepare --speed-perturb` and the training stages' speed perturbation, on Kaldi's fixture
// data dir (12 WAV files, with Kaldi's own fbank features and frame counts).
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadScp } from '@stnas/data-wsj';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../../../../test/fixtures';
import { main } from '../cli/main';
import { capture } from '../test-support';
import { trainingDataDir } from './speed-perturb-train';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'stnas-sp-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const fixture = fixturePath('kaldi', 'kaldi', 'datadir');
const data = path.join(tmp, 'datadir');
cpSync(fixture, data, { recursive: true });

const table = (file: string) =>
  new Map(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [k, ...v] = l.trim().split(/\s+/);
        return [k!, v.join(' ')] as const;
      }),
  );

describe('stnas prepare --speed-perturb', () => {
  it('writes sp0.9- and sp1.1- copies beside the originals, with Kaldi frame counts at speed 1', async () => {
    const out = path.join(tmp, 'datadir_sp');
    const c = capture();
    const code = await main(
      ['prepare', '--data', data, '--speed-perturb', '0.9,1.0,1.1', '--out', out, '--json'],
      c.io,
    );
    expect(code, c.err.join('\n')).toBe(0);
    expect(JSON.parse(c.out[0]!)).toEqual({ data: out, utterances: 36, speakers: 9 });
    const orig = table(path.join(fixture, 'utt2num_frames'));
    const frames = table(path.join(out, 'utt2num_frames'));
    const text = table(path.join(out, 'text'));
    const utt2spk = table(path.join(out, 'utt2spk'));
    const srcText = table(path.join(fixture, 'text'));
    expect(frames.size).toBe(36);
    for (const [utt, n] of orig) {
      // speed 1 reproduces Kaldi's compute-fbank-feats frame count; speed f has about n / f frames
      expect(Number(frames.get(utt))).toBe(Number(n));
      for (const f of [0.9, 1.1]) {
        const id = `sp${f}-${utt}`;
        expect(Math.abs(Number(frames.get(id)) - Number(n) / f), id).toBeLessThanOrEqual(2);
        expect(text.get(id)).toBe(srcText.get(utt));
        expect(utt2spk.get(id)).toMatch(new RegExp(`^sp${f}-spk\\d$`));
      }
    }
    // speed-1 features match Kaldi's (both CM-compressed; the fixture's fbank.conf has dither 0)
    const ours = await loadScp(path.join(out, 'feats.scp'));
    const kaldi = await loadScp(path.join(fixture, 'feats.scp'));
    try {
      const a = await ours.getMatrix('spk1-utt001');
      const b = await kaldi.getMatrix('spk1-utt001');
      expect([a.rows, a.cols]).toEqual([b.rows, b.cols]);
      expect(Float32Array.from(a.data)).toBeAllclose(Float32Array.from(b.data), { atol: 0.05, rtol: 0.01 });
    } finally {
      await ours.close();
      await kaldi.close();
    }
  }, 60_000);

  it('a training run perturbs its data dir into the run directory once and reuses it on resume', async () => {
    const out = path.join(tmp, 'run');
    const logs: string[] = [];
    const i = { data, out, seed: 0, speedPerturb: [0.9, 1.1], log: (l: string) => logs.push(l) };
    const dir = await trainingDataDir(i);
    expect(dir).toBe(path.join(out, 'data', 'datadir_sp'));
    expect(table(path.join(dir, 'utt2spk')).size).toBe(24);
    const mtime = statSync(path.join(dir, 'feats.ark')).mtimeMs;
    const n = logs.length;
    expect(await trainingDataDir(i)).toBe(dir);
    expect(logs.length).toBe(n); // nothing recomputed
    expect(statSync(path.join(dir, 'feats.ark')).mtimeMs).toBe(mtime);
    expect(await trainingDataDir({ ...i, speedPerturb: undefined })).toBe(data);
  }, 60_000);
});

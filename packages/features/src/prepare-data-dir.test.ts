import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadDataDir, type Matrix, PipeNotAllowedError, readArk, readTable } from '@stnas/data-wsj';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCmvnStats } from './cmvn-stats';
import { fbank } from './fbank';
import { readLibriSpeech } from './librispeech-source';
import { prepareDataDir } from './prepare-data-dir';
import { readWav } from './read-wav';
import { readFixtureArk } from './testing/fixtures';
import { fixtureDataDir, libriId, makeLibriSpeechTree } from './testing/librispeech-tree';

const conf = path.join(fixtureDataDir, 'conf', 'fbank.conf'); // --dither=0 --num-mel-bins=40
let tmp: string;
let libri: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'prepare-data-dir-'));
  libri = path.join(tmp, 'dev-clean');
  makeLibriSpeechTree(libri);
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

const kaldiRaw = () => readFixtureArk(path.join(fixtureDataDir, 'fbank', 'raw_fbank.ark'));
const kaldiCmvn = () => readFixtureArk(path.join(fixtureDataDir, 'fbank', 'cmvn.ark'));

describe('prepareDataDir from a LibriSpeech tree of FLAC files', () => {
  it('writes fbank equal to fbank() on the same samples read from WAV, and Kaldi tables', async () => {
    const out = path.join(tmp, 'fm');
    const s = await prepareDataDir({
      data: await readLibriSpeech(libri),
      out,
      fbankConfig: conf,
      compress: false,
      workers: 2,
      shardUtterances: 4,
    });
    expect([s.utterances, s.speakers, s.computed, s.upToDate]).toEqual([12, 3, 12, false]);
    const raw = kaldiRaw();
    const feats = new Map<string, Float32Array>();
    for await (const { key, value } of readArk(path.join(out, 'feats.ark')))
      feats.set(key, (value as { data: Float32Array }).data);
    expect(feats.size).toBe(12);
    for (const utt of raw.keys()) {
      const ours = feats.get(libriId(utt))!;
      const wav = readWav(path.join(fixtureDataDir, 'wav', `${utt}.wav`));
      expect(ours).toEqual(fbank(wav.samples, { numMelBins: 40, dither: 0 }).data); // FLAC == WAV, exactly
      expect(ours).toBeAllclose(raw.get(utt)!.data, { atol: 2e-4, rtol: 1e-5 }); // and == Kaldi
    }
    const dd = await loadDataDir(out);
    expect(dd.utts[0]).toBe('1-100-0001');
    expect(dd.utt2spk.get('3-100-0004')).toBe('3-100');
    expect(dd.text!.get('1-100-0001')!.join(' ')).toBe(
      'THE COMPANY SAID ITS PROFIT ROSE SHARPLY IN THE THIRD QUARTER',
    );
    const frames = await readTable(path.join(out, 'utt2num_frames'));
    const kaldiFrames = await readTable(path.join(fixtureDataDir, 'utt2num_frames'));
    expect(frames.map((l) => l.value)).toEqual(kaldiFrames.map((l) => l.value));
    expect(await readFile(path.join(out, 'spk2gender'), 'utf8')).toBe('1-100 m\n2-100 f\n');
    expect(await readFile(path.join(out, 'fbank.conf'), 'utf8')).toBe(
      '--sample-frequency=16000\n--dither=0\n--num-mel-bins=40\n',
    );
    expect(existsSync(`${out}.partial`)).toBe(false);
    await dd.close();
  });

  it('CM-compresses by default, with per-speaker CMVN as compute-cmvn-stats, and skips a finished dir', async () => {
    const out = path.join(tmp, 'cm');
    const opts = { data: await readLibriSpeech(libri), out, fbankConfig: conf, workers: 1 };
    await prepareDataDir(opts);
    const head = (await readFile(path.join(out, 'feats.ark'))).subarray(0, 16).toString('latin1');
    expect(head).toBe('1-100-0001 \0BCM ');
    const dd = await loadDataDir(out);
    const kaldi = kaldiCmvn();
    for (const spk of ['1', '2', '3']) {
      const stats = await dd.cmvn!.getMatrix(`${spk}-100`);
      expect([stats.rows, stats.cols]).toEqual([2, 41]);
      // Kaldi's stats are over its own compressed features: equal up to the fbank and quantisation error
      expect(stats.data).toBeAllclose(kaldi.get(`spk${spk}`)!.data, { rtol: 2e-3, atol: 1 });
      expect(stats.data[40]).toBe(kaldi.get(`spk${spk}`)!.data[40]); // frame counts
    }
    const m = await dd.feats.getMatrix('2-100-0003');
    const raw = kaldiRaw().get('spk2-utt003')!;
    expect(m.data).toBeAllclose(raw.data, { atol: 0.1 }); // CM's error on fbank is below 0.084
    await dd.close();
    const again = await prepareDataDir(opts);
    expect([again.upToDate, again.computed, again.utterances]).toEqual([true, 0, 12]);
  });

  it('writes the same bytes whatever the shard size and worker count, speakers spanning shards', async () => {
    const source = await readLibriSpeech(libri);
    const fbankConfig = { numMelBins: 40, dither: 1 }; // dither on: each utterance's seeded noise
    const one = path.join(tmp, 'one-shard');
    await prepareDataDir({ data: source, out: one, fbankConfig, workers: 0, shardUtterances: 100 });
    const split = path.join(tmp, 'split-shards');
    // shards of 3 split every 4-utterance speaker between two shards and two workers
    await prepareDataDir({ data: source, out: split, fbankConfig, workers: 2, shardUtterances: 3 });
    for (const f of ['feats.ark', 'feats.scp', 'cmvn.ark', 'utt2num_frames'])
      expect(await readFile(path.join(split, f))).toEqual(await readFile(path.join(one, f)));
    // and the stats are compute-cmvn-stats over each speaker's stored features in feats.ark order
    const dd = await loadDataDir(split);
    const bySpk = new Map<string, Matrix[]>();
    for (const u of dd.utts) {
      const spk = dd.utt2spk.get(u)!;
      bySpk.set(spk, [...(bySpk.get(spk) ?? []), await dd.feats.getMatrix(u)]);
    }
    expect(bySpk.size).toBe(3);
    for (const [spk, mats] of bySpk)
      expect((await dd.cmvn!.getMatrix(spk)).data).toEqual(computeCmvnStats(mats).data);
    await dd.close();
  });

  it('names the file and the utterance of bad audio, leaves no complete-looking output, and resumes', async () => {
    const tree = path.join(tmp, 'bad-tree');
    await cp(libri, tree, { recursive: true });
    const bad = path.join(tree, '2', '100', '2-100-0002.flac');
    const good = await readFile(bad);
    await writeFile(bad, good.subarray(0, Math.floor(good.length * 0.6)));
    const out = path.join(tmp, 'resumed');
    const run = async () =>
      prepareDataDir({
        data: await readLibriSpeech(tree),
        out,
        fbankConfig: conf,
        workers: 0,
        shardUtterances: 4,
      });
    const err = await run().catch((e: Error) => e.message);
    expect(err).toMatch(
      /^utterance 2-100-0002: readFlac: .*: STREAMINFO declares 56025 samples but only \d+ decode \(truncated file\)$/,
    );
    expect(err).toContain(bad);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(true);
    await writeFile(bad, good);
    const s = await run();
    expect(s.computed).toBe(8); // speaker 1's shard was kept
    expect(existsSync(`${out}.partial`)).toBe(false);
    expect((await loadDataDir(out)).utts.length).toBe(12);
  });

  it('refuses a sample rate other than the config says, a missing transcript and pipes', async () => {
    await expect(
      prepareDataDir({
        data: await readLibriSpeech(libri),
        out: path.join(tmp, 'rate'),
        fbankConfig: { numMelBins: 40, sampleFrequency: 8000 },
        workers: 0,
      }),
    ).rejects.toThrow(
      `utterance 1-100-0001: ${path.join(libri, '1', '100', '1-100-0001.flac')}: the audio is 16000 Hz but the fbank config says --sample-frequency=8000`,
    );
    const tree = path.join(tmp, 'no-text');
    await cp(libri, tree, { recursive: true });
    const trans = path.join(tree, '3', '100', '3-100.trans.txt');
    const lines = (await readFile(trans, 'utf8')).split('\n');
    await writeFile(trans, lines.filter((l) => !l.startsWith('3-100-0003')).join('\n'));
    await expect(readLibriSpeech(tree)).rejects.toThrow(
      `readLibriSpeech: ${path.join(tree, '3', '100', '3-100-0003.flac')} (utterance 3-100-0003): no transcript line in ${trans}`,
    );
    const dir = path.join(tmp, 'piped');
    await cp(fixtureDataDir, dir, { recursive: true });
    await writeFile(path.join(dir, 'wav.scp'), 'spk1-utt001 cat wav/spk1-utt001.wav |\n');
    await writeFile(path.join(dir, 'utt2spk'), 'spk1-utt001 spk1\n');
    await expect(prepareDataDir({ data: dir, out: path.join(tmp, 'piped-out') })).rejects.toThrow(
      PipeNotAllowedError,
    );
  });
});

describe('prepareDataDir from a Kaldi data dir', () => {
  it('reads wav.scp and conf/fbank.conf, and pipes run with allowPipes', async () => {
    const dir = path.join(tmp, 'kaldi-dir');
    await cp(fixtureDataDir, dir, { recursive: true });
    await writeFile(
      path.join(dir, 'wav.scp'),
      (await readFile(path.join(fixtureDataDir, 'wav.scp'), 'utf8')).replace(
        'spk1-utt002 wav/spk1-utt002.wav',
        `spk1-utt002 cat ${path.join(dir, 'wav', 'spk1-utt002.wav')} |`,
      ),
    );
    const out = path.join(tmp, 'kaldi-out');
    const s = await prepareDataDir({ data: dir, out, allowPipes: true, compress: false, workers: 2 });
    expect([s.utterances, s.speakers, s.fbank.numMelBins, s.fbank.dither]).toEqual([12, 3, 40, 0]);
    const raw = kaldiRaw();
    for await (const { key, value } of readArk(path.join(out, 'feats.ark')))
      expect((value as { data: Float32Array }).data).toBeAllclose(raw.get(key)!.data, {
        atol: 2e-4,
        rtol: 1e-5,
      });
    expect(await readFile(path.join(out, 'wav.scp'), 'utf8')).toContain(
      `spk1-utt001 ${path.join(dir, 'wav', 'spk1-utt001.wav')}\n`,
    );
  });
});

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadDataDir, PipeNotAllowedError, readTable } from '@stnas/data-wsj';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFbankConf } from './fbank-conf';
import { speedPerturbDataDir } from './speed-perturb-data-dir';

const RATE = 16000;

/** A 16-bit mono PCM WAV file (RIFF layout written by hand, independent of readWav). */
function wavBytes(samples: ArrayLike<number>, rate = RATE): Buffer {
  const b = Buffer.alloc(44 + 2 * samples.length);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + 2 * samples.length, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(2 * samples.length, 40);
  for (let i = 0; i < samples.length; i++) b.writeInt16LE(Math.round(samples[i]!), 44 + 2 * i);
  return b;
}

const tone = (hz: number, n: number) =>
  Float64Array.from({ length: n }, (_, i) => 8000 * Math.sin((2 * Math.PI * hz * i) / RATE));

const mel = (f: number) => 1127 * Math.log(1 + f / 700);
/** Kaldi's mel bin (40 bins, 20 Hz to 8 kHz) whose centre is nearest `hz` (mel-computations.cc). */
function nearestMelBin(hz: number): number {
  const lo = mel(20);
  const delta = (mel(8000) - lo) / 41;
  let best = 0;
  for (let k = 1; k < 40; k++)
    if (Math.abs(lo + (k + 1) * delta - mel(hz)) < Math.abs(lo + (best + 1) * delta - mel(hz))) best = k;
  return best;
}

let root: string;
let data: string;
let out: string;
const lengths = { 'spkA-u1': 16000, 'spkA-u2': 12345, 'spkB-u1': 20000 } as Record<string, number>;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'stnas-sp-'));
  data = path.join(root, 'data', 'train');
  out = path.join(root, 'data', 'train_sp');
  await mkdir(path.join(data, 'wav'), { recursive: true });
  await writeFile(
    path.join(root, 'data', 'fbank.conf'),
    '--sample-frequency=16000\n--num-mel-bins=40 # as the corpus\n--dither=1\n',
  );
  for (const [u, n] of Object.entries(lengths))
    await writeFile(path.join(data, 'wav', `${u}.wav`), wavBytes(tone(2000, n)));
  await writeFile(
    path.join(data, 'wav.scp'),
    `spkA-u1 wav/spkA-u1.wav\nspkA-u2 ${path.join(data, 'wav', 'spkA-u2.wav')}\nspkB-u1 wav/spkB-u1.wav\n`,
  );
  await writeFile(path.join(data, 'utt2spk'), 'spkA-u1 spkA\nspkA-u2 spkA\nspkB-u1 spkB\n');
  await writeFile(path.join(data, 'text'), 'spkA-u1 HELLO WORLD\nspkA-u2 GOOD MORNING\nspkB-u1 THE END\n');
  await writeFile(path.join(data, 'spk2gender'), 'spkA f\nspkB m\n');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('speedPerturbDataDir', () => {
  it('writes 3-way perturbed features, CMVN and tables with Kaldi ids, sorted in C order', async () => {
    const summary = await speedPerturbDataDir({ data, out, factors: [0.9, 1.0, 1.1] });
    expect(summary.utterances).toBe(9);
    expect(summary.speakers).toBe(6);
    const u2s = await readTable(path.join(out, 'utt2spk'));
    expect(u2s.map((l) => `${l.key} ${l.value}`)).toEqual([
      'sp0.9-spkA-u1 sp0.9-spkA',
      'sp0.9-spkA-u2 sp0.9-spkA',
      'sp0.9-spkB-u1 sp0.9-spkB',
      'sp1.1-spkA-u1 sp1.1-spkA',
      'sp1.1-spkA-u2 sp1.1-spkA',
      'sp1.1-spkB-u1 sp1.1-spkB',
      'spkA-u1 spkA',
      'spkA-u2 spkA',
      'spkB-u1 spkB',
    ]);
    expect(await readFile(path.join(out, 'text'), 'utf8')).toContain('sp1.1-spkA-u2 GOOD MORNING\n');
    expect(await readFile(path.join(out, 'spk2gender'), 'utf8')).toBe(
      'sp0.9-spkA f\nsp0.9-spkB m\nsp1.1-spkA f\nsp1.1-spkB m\nspkA f\nspkB m\n',
    );
    expect(parseFbankConf(await readFile(path.join(out, 'fbank.conf'), 'utf8'))).toEqual({
      sampleFrequency: 16000,
      numMelBins: 40,
      dither: 1,
    });
    // an independent reader cross-checks sorting, spk2utt, feats and cmvn
    const dir = await loadDataDir(out, { requireCmvn: true });
    try {
      const dur = new Map((await readTable(path.join(out, 'utt2dur'))).map((l) => [l.key, Number(l.value)]));
      const nf = new Map(
        (await readTable(path.join(out, 'utt2num_frames'))).map((l) => [l.key, Number(l.value)]),
      );
      for (const u of dir.utts) {
        const f = u.startsWith('sp0.9-') ? 0.9 : u.startsWith('sp1.1-') ? 1.1 : 1;
        const n = Math.ceil(lengths[u.replace(/^sp[\d.]+-/, '')]! / f);
        // duration 1/f of the original; frames as Kaldi's NumFrames (25 ms window, 10 ms shift)
        expect(dur.get(u)).toBeCloseTo(n / RATE, 4);
        const m = await dir.feats.getMatrix(u);
        expect(m.cols).toBe(40);
        expect(m.rows).toBe(1 + Math.floor((n - 400) / 160));
        expect(nf.get(u)).toBe(m.rows);
        // the tone's mel bin follows the speed: 2 kHz becomes 1.8 / 2 / 2.2 kHz
        const mean = new Float64Array(40);
        for (let t = 0; t < m.rows; t++) for (let d = 0; d < 40; d++) mean[d]! += m.data[t * 40 + d]!;
        expect(mean.indexOf(Math.max(...mean))).toBe(nearestMelBin(2000 * f));
      }
      // CMVN per perturbed speaker: the count is its frames, the sums are those of its stored features
      for (const s of dir.speakers) {
        const st = await dir.cmvn!.getMatrix(s);
        const utts = dir.spk2utt.get(s)!;
        let frames = 0;
        const sum = new Float64Array(40);
        for (const u of utts) {
          const m = await dir.feats.getMatrix(u);
          frames += m.rows;
          for (let i = 0; i < m.data.length; i++) sum[i % 40]! += m.data[i]!;
        }
        expect(st.rows).toBe(2);
        expect(st.data[40]).toBe(frames);
        expect(Array.from(st.data.subarray(0, 40))).toBeAllclose(Array.from(sum), { rtol: 1e-6, atol: 1e-3 });
      }
      expect(new Set(dir.speakers).size).toBe(6);
    } finally {
      await dir.feats.close();
      await dir.cmvn?.close();
    }
  });

  it('is reproducible (same seed, same bytes) and replaces the output dir', async () => {
    const a = await readFile(path.join(out, 'feats.ark'));
    await speedPerturbDataDir({ data, out, factors: [0.9, 1.0, 1.1] });
    expect((await readFile(path.join(out, 'feats.ark'))).equals(a)).toBe(true);
    await speedPerturbDataDir({ data, out, factors: [1.1] });
    expect((await readTable(path.join(out, 'utt2spk'))).map((l) => l.key)).toEqual([
      'sp1.1-spkA-u1',
      'sp1.1-spkA-u2',
      'sp1.1-spkB-u1',
    ]);
  });

  it('names the utterance and what was expected on bad input, and leaves no output behind', async () => {
    const bad = path.join(root, 'bad');
    const badOut = path.join(root, 'bad_sp');
    await mkdir(bad, { recursive: true });
    await writeFile(path.join(bad, 'utt2spk'), 'a-1 a\na-2 a\n');
    const conf = { sampleFrequency: 16000, numMelBins: 40 };
    await writeFile(path.join(bad, 'wav.scp'), 'a-1 missing.wav\na-2 missing.wav\n');
    await expect(speedPerturbDataDir({ data: bad, out: badOut, fbankConfig: conf })).rejects.toThrow(
      /wav.scp:1 \(utterance a-1\): cannot read .*missing.wav/,
    );
    await writeFile(path.join(bad, 'wav.scp'), 'a-1 sox x.wav -t wav - |\na-2 missing.wav\n');
    await expect(speedPerturbDataDir({ data: bad, out: badOut, fbankConfig: conf })).rejects.toThrow(
      PipeNotAllowedError,
    );
    await writeFile(path.join(bad, 'x.wav'), wavBytes(tone(440, 8000), 8000));
    await writeFile(path.join(bad, 'wav.scp'), 'a-1 x.wav\na-2 x.wav\n');
    await expect(speedPerturbDataDir({ data: bad, out: badOut, fbankConfig: conf })).rejects.toThrow(
      /utterance a-1\): the audio is 8000 Hz but the fbank config says --sample-frequency=16000/,
    );
    await writeFile(path.join(bad, 'wav.scp'), 'a-1 x.wav\n');
    await expect(speedPerturbDataDir({ data: bad, out: badOut, fbankConfig: conf })).rejects.toThrow(
      /utt2spk: utterance a-2 has no wav.scp entry/,
    );
    await expect(speedPerturbDataDir({ data: bad, out: badOut })).rejects.toThrow(
      /no fbank config given and none found/,
    );
    await expect(speedPerturbDataDir({ data, out: badOut, factors: [0.9, Math.PI] })).rejects.toThrow(
      /factor 3.14159\d* is not a fraction/,
    );
    await expect(speedPerturbDataDir({ data, out: badOut, factors: [1.1, 1.1] })).rejects.toThrow(
      /repeat a value/,
    );
    const { existsSync } = await import('node:fs');
    expect(existsSync(badOut)).toBe(false);
  });

  it('runs wav.scp pipes when allowPipes is set', async () => {
    const piped = path.join(root, 'piped');
    await mkdir(piped, { recursive: true });
    await writeFile(path.join(piped, 'utt2spk'), 'p-1 p\n');
    await writeFile(path.join(piped, 'wav.scp'), `p-1 cat ${path.join(data, 'wav', 'spkA-u1.wav')} |\n`);
    const s = await speedPerturbDataDir({
      data: piped,
      out: path.join(root, 'piped_sp'),
      factors: [1.1],
      fbankConfig: path.join(root, 'data', 'fbank.conf'),
      allowPipes: true,
    });
    expect(s.utterances).toBe(1);
    expect(s.frames).toBe(1 + Math.floor((Math.ceil(16000 / 1.1) - 400) / 160));
  });
});

describe('parseFbankConf', () => {
  it('maps Kaldi options and rejects unknown ones with the file and line', () => {
    expect(
      parseFbankConf('--num-mel-bins=80\n--snip-edges=false\n# c\n--window-type=hamming\n', 'f.conf'),
    ).toEqual({
      dither: 1,
      numMelBins: 80,
      snipEdges: false,
      windowType: 'hamming',
    });
    expect(() => parseFbankConf('--num-mel-bins=40\n--vtln-warp=1.1\n', 'f.conf')).toThrow(
      /f.conf:2: option --vtln-warp is not supported/,
    );
    expect(() => parseFbankConf('--dither=x\n', 'f.conf')).toThrow(/f.conf:1: --dither expects a number/);
  });
});

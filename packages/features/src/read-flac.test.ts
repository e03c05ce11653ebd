import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fbank } from './fbank';
import { readAudio } from './read-audio';
import { readFlac } from './read-flac';
import { readWav } from './read-wav';
import { kaldiFixtures, readFixtureArk } from './testing/fixtures';

const testWav = path.join(kaldiFixtures, 'features', 'test.wav');
let tmp: string;
let flac: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'read-flac-'));
  flac = path.join(tmp, 'test.flac');
  execFileSync('flac', ['-s', '-f', '-o', flac, testWav]);
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('readFlac', () => {
  it('decodes the samples a WAV of the same audio holds, bit for bit', async () => {
    const w = readWav(testWav);
    const f = await readFlac(flac);
    expect(f.sampleRate).toBe(16000);
    expect(f.bitsPerSample).toBe(16);
    expect(f.samples.length).toBe(23001); // Kaldi's test.wav
    expect(Buffer.from(f.samples.buffer).equals(Buffer.from(w.samples.buffer))).toBe(true);
    const unit = await readFlac(flac, { scale: 'unit' });
    expect(unit.samples[100]).toBe(w.samples[100]! / 32768);
  });

  it('gives fbank features equal to Kaldi compute-fbank-feats on the same recording', async () => {
    const f = await readFlac(flac);
    const ref = readFixtureArk(path.join(kaldiFixtures, 'features', 'fbank40.ark')).get('test')!;
    const m = fbank(f.samples, { numMelBins: 40 });
    expect([m.rows, m.cols]).toEqual([142, 40]);
    expect(m.data).toBeAllclose(ref.data, { atol: 1e-4, rtol: 1e-5 });
  });

  it('names the file and the missing samples of a truncated file', async () => {
    const bytes = await readFile(flac);
    const cut = path.join(tmp, 'cut.flac');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expect(readFlac(cut)).rejects.toThrow(
      new RegExp(
        `readFlac: ${cut}: STREAMINFO declares 23001 samples but only \\d+ decode \\(truncated file\\)`,
      ),
    );
  });

  it('rejects a file that is not FLAC', async () => {
    await expect(readFlac(testWav)).rejects.toThrow(/expected "fLaC" at byte 0, found "RIFF"/);
  });
});

describe('readAudio', () => {
  it('tells WAV from FLAC by their first bytes', async () => {
    const a = await readAudio(flac);
    const b = await readAudio(testWav);
    expect(a.samples).toEqual(b.samples);
    const junk = path.join(tmp, 'junk.mp3');
    await writeFile(junk, 'ID3\u0003garbage');
    await expect(readAudio(junk)).rejects.toThrow(
      `readAudio: ${junk}: expected a WAV ("RIFF") or FLAC ("fLaC") file, found "ID3\\u0003" at byte 0`,
    );
  });
});

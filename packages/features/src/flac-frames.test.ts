import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { flacAudioOffset, splitFlacFrames } from './flac-frames';
import { readFlac } from './read-flac';
import { readWav } from './read-wav';
import { kaldiFixtures } from './testing/fixtures';

const testWav = path.join(kaldiFixtures, 'features', 'test.wav'); // 23001 samples
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'flac-frames-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** Encodes test.wav with Debian's flac and the given block size. */
async function encode(blockSize: number): Promise<{ file: string; bytes: Uint8Array }> {
  const file = path.join(tmp, `b${blockSize}.flac`);
  execFileSync('flac', ['-s', '-f', `--blocksize=${blockSize}`, '-o', file, testWav]);
  return { file, bytes: await readFile(file) };
}

describe('splitFlacFrames', () => {
  // 4096 has a block-size code of its own; 1000 is coded in 16 bits after the frame number. The
  // shared decoder is replaced when the block size changes, where libFLAC would report (and the
  // library print) a missing frame.
  for (const blockSize of [4096, 1000]) {
    it(`splits a file of block size ${blockSize} into ceil(23001 / ${blockSize}) frames`, async () => {
      const { file, bytes } = await encode(blockSize);
      const frames = splitFlacFrames(bytes)!;
      expect(frames).toHaveLength(Math.ceil(23001 / blockSize));
      for (const f of frames) expect([f[0], f[1]]).toEqual([0xff, 0xf8]);
      expect(frames.reduce((a, f) => a + f.length, 0)).toBe(bytes.length - flacAudioOffset(bytes));
      // and the decoder fed these frames gives the WAV's samples
      const w = readWav(testWav);
      const printed = vi.spyOn(console, 'error');
      try {
        expect(Buffer.from((await readFlac(file)).samples.buffer)).toEqual(Buffer.from(w.samples.buffer));
        expect(printed).not.toHaveBeenCalled();
      } finally {
        printed.mockRestore();
      }
    });
  }

  it('does not split a frame at a copy of a frame header inside the audio', async () => {
    // White noise is stored verbatim, so samples whose big-endian bytes copy the first frame's
    // header (sync code, fields and a valid CRC-8) put that header inside frame 0's data.
    const n = 20000;
    const x = new Int16Array(n);
    let s = 12345;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      x[i] = (s >>> 16) - 32768;
    }
    const encodeRaw = async () => {
      const raw = path.join(tmp, 'noise.raw');
      const file = path.join(tmp, 'noise.flac');
      await writeFile(raw, x);
      const format = ['--endian=little', '--sign=signed', '--channels=1', '--bps=16', '--sample-rate=16000'];
      execFileSync('flac', [
        '-s',
        '-f',
        '--force-raw-format',
        ...format,
        '--blocksize=4096',
        '-o',
        file,
        raw,
      ]);
      return { file, bytes: await readFile(file) };
    };
    const first = (await encodeRaw()).bytes;
    const h = first.subarray(flacAudioOffset(first), flacAudioOffset(first) + 6);
    for (let k = 0; k < 3; k++) x[1000 + k] = (((h[2 * k]! << 8) | h[2 * k + 1]!) << 16) >> 16;
    const { file, bytes } = await encodeRaw();
    expect(Buffer.from(bytes).indexOf(Buffer.from(h), flacAudioOffset(bytes) + 6)).toBeGreaterThan(0);
    expect(splitFlacFrames(bytes)).toHaveLength(Math.ceil(n / 4096));
    expect((await readFlac(file)).samples).toEqual(Float32Array.from(x));
  });

  it('leaves a file whose first frame is not after the metadata to the library', async () => {
    const { bytes } = await encode(4096);
    const broken = Uint8Array.from(bytes);
    broken[flacAudioOffset(bytes)] = 0;
    expect(splitFlacFrames(broken)).toBeUndefined();
    expect(splitFlacFrames(bytes.subarray(0, 10))).toBeUndefined();
  });

  it('decodes a good file exactly after a truncated one (the shared decoder is replaced)', async () => {
    const { file, bytes } = await encode(4096);
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6));
    await expect(readFlac(cut)).rejects.toThrow(/STREAMINFO declares 23001 samples but only \d+ decode/);
    const w = readWav(testWav);
    expect(Buffer.from((await readFlac(file)).samples.buffer)).toEqual(Buffer.from(w.samples.buffer));
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWav } from './read-wav';
import { kaldiFixtures } from './testing/fixtures';

const testWav = path.join(kaldiFixtures, 'features/test.wav');

/** A WAV file built byte by byte (the layout of the Microsoft RIFF spec). */
function wavBytes(
  format: number,
  channels: number,
  bits: number,
  payload: Uint8Array,
  rate = 8000,
  extra = 0,
) {
  const b = new Uint8Array(44 + payload.length + extra);
  const v = new DataView(b.buffer);
  b.set(new TextEncoder().encode('RIFF'), 0);
  v.setUint32(4, 36 + payload.length, true);
  b.set(new TextEncoder().encode('WAVEfmt '), 8);
  v.setUint32(16, 16, true);
  v.setUint16(20, format, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, (rate * channels * bits) / 8, true);
  v.setUint16(32, (channels * bits) / 8, true);
  v.setUint16(34, bits, true);
  b.set(new TextEncoder().encode('data'), 36);
  v.setUint32(40, payload.length, true);
  b.set(payload, 44);
  return b;
}

describe('readWav', () => {
  it('reads the Kaldi test recording: 16 kHz, 23001 16-bit samples, integer scale', () => {
    const w = readWav(testWav);
    expect([w.sampleRate, w.numChannels, w.bitsPerSample, w.format, w.samples.length]).toEqual([
      16000,
      1,
      16,
      'pcm',
      23001,
    ]);
    const raw = readFileSync(testWav);
    expect(w.samples[0]).toBe(raw.readInt16LE(44));
    expect(w.samples[23000]).toBe(raw.readInt16LE(44 + 2 * 23000));
    expect(readWav(raw, { scale: 'unit' }).samples[100]).toBeCloseTo(raw.readInt16LE(244) / 32768, 9);
  });

  it('decodes 24-bit, 32-bit and float stereo and picks the channel asked for', () => {
    // left = -1 (full scale negative), right = 0.5
    const p24 = Uint8Array.from([0x00, 0x00, 0x80, 0x00, 0x00, 0x40]);
    const w24 = readWav(wavBytes(1, 2, 24, p24), { channel: 0 });
    expect(w24.samples[0]).toBe(-32768);
    expect(readWav(wavBytes(1, 2, 24, p24), { channel: 1, scale: 'unit' }).samples[0]).toBe(0.5);
    const p32 = new Uint8Array(8);
    new DataView(p32.buffer).setInt32(0, -(2 ** 31), true);
    new DataView(p32.buffer).setInt32(4, 2 ** 30, true);
    expect(readWav(wavBytes(1, 2, 32, p32), { channel: 1 }).samples[0]).toBe(16384);
    const pf = new Uint8Array(8);
    new DataView(pf.buffer).setFloat32(0, 0.25, true);
    new DataView(pf.buffer).setFloat32(4, -0.5, true);
    const wf = readWav(wavBytes(3, 2, 32, pf), { channel: 1 });
    expect([wf.format, wf.samples[0]]).toEqual(['float', -16384]);
  });

  it('requires a channel choice for multi-channel files', () => {
    expect(() => readWav(wavBytes(1, 2, 16, new Uint8Array(8)))).toThrow(
      /2 channels; choose one with the "channel" option/,
    );
    expect(() => readWav(wavBytes(1, 2, 16, new Uint8Array(8)), { channel: 2 })).toThrow(
      /channel 2 does not exist/,
    );
  });

  it('gives clear errors for compressed, truncated and malformed files', () => {
    expect(() => readWav(wavBytes(2, 1, 16, new Uint8Array(4)))).toThrow(
      /unsupported format tag 2 \(compressed audio\)/,
    );
    expect(() => readWav(wavBytes(1, 1, 8, new Uint8Array(4)))).toThrow(/unsupported 8-bit PCM/);
    const full = readFileSync(testWav);
    expect(() => readWav(full.subarray(0, 1000))).toThrow(
      /<buffer>: "data" chunk at byte 36 declares 46002 bytes but only 956 remain/,
    );
    expect(() => readWav(full.subarray(0, 8))).toThrow(/too short for a RIFF header/);
    expect(() => readWav(full.subarray(0, 30))).toThrow(/"fmt " chunk at byte 12 runs past the end/);
    const bad = Uint8Array.from(full);
    bad[8] = 0x58;
    expect(() => readWav(bad)).toThrow(/expected "WAVE" at byte 8, found "XAVE"/);
    expect(() => readWav(wavBytes(1, 1, 16, new Uint8Array(3)))).toThrow(
      /not a multiple of the block size 2/,
    );
    expect(() => readWav('/nonexistent/x.wav')).toThrow(/ENOENT/);
  });

  it('reads every frame of every truncation without crashing (error or samples, never garbage)', () => {
    const full = readFileSync(testWav).subarray(0, 200);
    for (let n = 0; n < 200; n++) {
      try {
        readWav(full.subarray(0, n));
      } catch (e) {
        expect((e as Error).message).toMatch(/^readWav: <buffer>: /);
      }
    }
  });
});

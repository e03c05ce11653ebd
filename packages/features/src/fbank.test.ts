import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FbankOptions, fbank } from './fbank';
import { readWav } from './read-wav';
import { kaldiFixtures, parseKaldiOptions, readFixtureArk } from './testing/fixtures';

const featDir = path.join(kaldiFixtures, 'features');
const wav = readWav(path.join(featDir, 'test.wav'));
const LOG_FLOOR = Math.log(1.1920928955078125e-7);

/** Compares within 1e-4 relative, or 1e-3 absolute where Kaldi's value sits at the log floor. */
function expectKaldiClose(got: Float32Array | Float64Array, want: Float32Array | Float64Array) {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const tol = Math.abs(w - LOG_FLOOR) < 1e-3 ? 1e-3 : 1e-4 * Math.abs(w) + 1e-6;
    const err = Math.abs(got[i]! - w);
    if (err > tol) throw new Error(`value ${i}: got ${got[i]}, Kaldi ${w} (|diff| ${err} > ${tol})`);
    worst = Math.max(worst, err / Math.max(Math.abs(w), 1e-6));
  }
  return worst;
}

describe('fbank matches compute-fbank-feats', () => {
  const confs = readdirSync(featDir).filter((f) => f.startsWith('fbank') && f.endsWith('.conf.txt'));
  it('covers every fbank fixture', () => {
    expect(confs.length).toBeGreaterThanOrEqual(6);
  });
  for (const conf of confs) {
    const name = conf.replace('.conf.txt', '');
    it(name, () => {
      const opts = parseKaldiOptions(readFileSync(path.join(featDir, conf), 'utf8')) as FbankOptions;
      const want = readFixtureArk(path.join(featDir, `${name}.ark`)).get('test')!;
      const got = fbank(wav.samples, opts);
      expect([got.rows, got.cols]).toEqual([want.rows, want.cols]);
      expectKaldiClose(got.data, want.data);
    });
  }

  it('matches the data dir raw fbank of 12 espeak utterances, log floor included', () => {
    const dir = path.join(kaldiFixtures, 'datadir');
    const want = readFixtureArk(path.join(dir, 'fbank/raw_fbank.ark'));
    expect(want.size).toBe(12);
    let floored = 0;
    for (const [utt, m] of want) {
      const w = readWav(path.join(dir, 'wav', `${utt}.wav`));
      const got = fbank(w.samples, { numMelBins: 40, sampleFrequency: 16000 });
      expect([got.rows, got.cols]).toEqual([m.rows, m.cols]);
      expectKaldiClose(got.data, m.data);
      for (const v of got.data) if (v === Math.fround(LOG_FLOOR)) floored++;
    }
    expect(floored).toBe(4278); // the README's count of digital-silence values
  });
});

describe('fbank options', () => {
  it('dither is seeded: the same seed repeats, another seed differs, and silence leaves the log floor', () => {
    const silence = new Float32Array(16000);
    expect(fbank(silence, { numMelBins: 40 }).data.every((v) => v === Math.fround(LOG_FLOOR))).toBe(true);
    const a = fbank(silence, { numMelBins: 40, dither: 1, seed: 3 });
    const b = fbank(silence, { numMelBins: 40, dither: 1, seed: 3 });
    const c = fbank(silence, { numMelBins: 40, dither: 1, seed: 4 });
    expect(a.data).toEqual(b.data);
    expect(a.data).not.toEqual(c.data);
    expect(Math.min(...a.data)).toBeGreaterThan(LOG_FLOOR + 5);
  });

  it('round-to-power-of-two off uses a 400-point FFT: same energies as the Kaldi 512 frame on a flat spectrum', () => {
    // white-ish input: log mel energies depend on the FFT size only through the bin density
    const x = Float32Array.from({ length: 16000 }, (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1000);
    const a = fbank(x, { roundToPowerOfTwo: false, windowType: 'rectangular' });
    expect([a.rows, a.cols]).toEqual([98, 23]);
    expect(a.data.every(Number.isFinite)).toBe(true);
  });

  it('names the option in errors', () => {
    expect(() => fbank(wav.samples, { frameShift: 0 })).toThrow(
      /fbank: option frameShift must be a positive number/,
    );
    expect(() => fbank(wav.samples, { windowType: 'kaiser' as never })).toThrow(/option windowType must be/);
    expect(() => fbank(wav.samples, { lowFreq: 9000 })).toThrow(/bad mel range lowFreq 9000/);
    expect(() => fbank(wav.samples, { numMelBins: 2 })).toThrow(/numMelBins must be an integer >= 3/);
    expect(fbank(new Float32Array(100)).rows).toBe(0);
  });
});

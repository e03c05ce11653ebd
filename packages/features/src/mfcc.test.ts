import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mfcc } from './mfcc';
import { readWav } from './read-wav';
import { kaldiFixtures, readFixtureArk } from './testing/fixtures';

const featDir = path.join(kaldiFixtures, 'features');

describe('mfcc', () => {
  it('matches compute-mfcc-feats --dither=0 (13 ceps, energy, lifter 22)', () => {
    const wav = readWav(path.join(featDir, 'test.wav'));
    const want = readFixtureArk(path.join(featDir, 'mfcc13_default.ark')).get('test')!;
    const got = mfcc(wav.samples);
    expect([got.rows, got.cols]).toEqual([142, 13]);
    // the float32 replica matches Kaldi's cepstra to 1e-4 (C0..C12 mix every mel bin's log energy)
    expect(got.data).toBeAllclose(want.data, { rtol: 1e-4, atol: 1e-4 });
  });

  it('htkCompat moves C0 last and scales it by sqrt(2) without energy', () => {
    const wav = readWav(path.join(featDir, 'test.wav'));
    const plain = mfcc(wav.samples, { useEnergy: false });
    const htk = mfcc(wav.samples, { useEnergy: false, htkCompat: true });
    for (let t = 0; t < plain.rows; t += 17) {
      expect(htk.data[t * 13 + 12]).toBeCloseTo(plain.data[t * 13]! * Math.SQRT2, 4);
      expect(htk.data.slice(t * 13, t * 13 + 12)).toBeAllclose(plain.data.slice(t * 13 + 1, t * 13 + 13));
    }
  });

  it('rejects numCeps above numMelBins', () => {
    expect(() => mfcc(new Float32Array(1000), { numCeps: 30 })).toThrow(
      /numCeps must be an integer in \[1, numMelBins=23\]/,
    );
  });
});

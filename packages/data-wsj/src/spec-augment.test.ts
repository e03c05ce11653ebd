import { describe, expect, it } from 'vitest';
import { type PaddedFeatures, specAugment } from './spec-augment.ts';

const PAD = 7.5;

/** Batch of `lengths.length` utterances; real cells hold values in [1, 2), padding holds PAD. */
function makeBatch(lengths: number[], dim: number): PaddedFeatures {
  const maxFrames = Math.max(...lengths);
  const features = new Float32Array(lengths.length * maxFrames * dim).fill(PAD);
  let x = 12345;
  for (let b = 0; b < lengths.length; b++)
    for (let t = 0; t < lengths[b]!; t++)
      for (let d = 0; d < dim; d++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        features[(b * maxFrames + t) * dim + d] = 1 + x / 2147483648;
      }
  return { features, lengths: Int32Array.from(lengths), batchSize: lengths.length, maxFrames, dim };
}

describe('specAugment', () => {
  const batch = makeBatch([100, 37, 64, 5], 120);
  const opts = {
    freqMasks: 2,
    freqMaskWidth: 12,
    freqGroups: 3,
    timeMasks: 3,
    timeMaskWidth: 30,
    timeMaskRatio: 0.2,
  };

  it('masks exactly the reported bands and spans and nothing else, within the requested bounds', () => {
    const widths = { f: new Set<number>(), t: new Set<number>() };
    let wrong = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const { features, masks } = specAugment(batch, { ...opts, seed });
      const { maxFrames: T, dim: D } = batch;
      expect(masks).toHaveLength(4);
      for (let b = 0; b < 4; b++) {
        const len = batch.lengths[b]!;
        const m = masks[b]!;
        expect(m.freq).toHaveLength(2);
        expect(m.time).toHaveLength(3);
        for (const [s, e] of m.freq) {
          expect(s >= 0 && e <= 40 && e - s <= 12).toBe(true);
          widths.f.add(e - s);
        }
        const cap = Math.min(30, Math.floor(0.2 * len));
        for (const [s, e] of m.time) {
          expect(s >= 0 && e <= len && e - s <= cap).toBe(true);
          if (b === 0) widths.t.add(e - s);
        }
        for (let t = 0; t < T; t++)
          for (let d = 0; d < D; d++) {
            const i = (b * T + t) * D + d;
            const masked =
              t < len &&
              (m.freq.some(([s, e]) => d % 40 >= s && d % 40 < e) ||
                m.time.some(([s, e]) => t >= s && t < e));
            if (features[i] !== (masked ? 0 : batch.features[i])) wrong++;
          }
      }
    }
    expect(wrong).toBe(0);
    // the widths drawn cover [0, max]: the caps are reached, not exceeded
    expect([...widths.f].sort((a, b) => a - b)).toEqual(Array.from({ length: 13 }, (_, i) => i));
    expect(Math.max(...widths.t)).toBe(20); // utterance 0: min(30, 0.2 · 100)
    expect(Math.min(...widths.t)).toBe(0);
  });

  it('draws the same masks for the same seed and different ones for another seed', () => {
    const a = specAugment(batch, { ...opts, timeWarp: 5, seed: 42 });
    const b = specAugment(batch, { ...opts, timeWarp: 5, seed: 42 });
    const c = specAugment(batch, { ...opts, timeWarp: 5, seed: 43 });
    expect(b.masks).toEqual(a.masks);
    expect(Buffer.from(b.features.buffer).equals(Buffer.from(a.features.buffer))).toBe(true);
    expect(c.masks).not.toEqual(a.masks);
  });

  it('leaves padding, lengths and the input batch untouched (also with time warping)', () => {
    const before = Float32Array.from(batch.features);
    const lengthsBefore = Int32Array.from(batch.lengths);
    let changed = 0;
    let checked = 0;
    for (let seed = 0; seed < 20; seed++) {
      const { features } = specAugment(batch, { ...opts, timeWarp: 10, seed });
      for (let b = 0; b < 4; b++)
        for (let t = batch.lengths[b]!; t < batch.maxFrames; t++)
          for (let d = 0; d < batch.dim; d++, checked++)
            if (features[(b * batch.maxFrames + t) * batch.dim + d] !== PAD) changed++;
    }
    expect(checked).toBe(20 * (63 + 36 + 95) * 120);
    expect(changed).toBe(0);
    expect(Buffer.from(batch.features.buffer).equals(Buffer.from(before.buffer))).toBe(true);
    expect(batch.lengths).toEqual(lengthsBefore);
  });

  it('time warping moves frame `from` to `to` piecewise linearly and keeps both ends (ramp input)', () => {
    const len = 50;
    const features = Float32Array.from({ length: len * 2 }, (_, i) => Math.floor(i / 2)); // x[t, d] = t
    const ramp: PaddedFeatures = { features, lengths: [len], batchSize: 1, maxFrames: len, dim: 2 };
    let warped = 0;
    for (let seed = 0; seed < 50; seed++) {
      const { features: y, masks } = specAugment(ramp, { seed, timeWarp: 8, freqMasks: 0, timeMasks: 0 });
      const { from, to } = masks[0]!.warp;
      expect(from > 8 && from < len - 8 && Math.abs(to - from) <= 8).toBe(true);
      if (from !== to) warped++;
      // closed form: output frame t reads source position t·from/to before `to`, linearly after
      for (let t = 0; t < len; t++) {
        const s = t <= to ? (t * from) / to : from + ((t - to) * (len - 1 - from)) / (len - 1 - to);
        expect(y[2 * t]).toBeCloseTo(s, 4);
        expect(y[2 * t + 1]).toBeCloseTo(s, 4);
      }
      expect([y[0], y[2 * to], y[2 * (len - 1)]]).toEqual([0, from, len - 1]);
    }
    expect(warped).toBeGreaterThan(40);
  });

  it('with zero masks and no warp returns an equal copy; utterances too short to warp are not warped', () => {
    const { features, masks } = specAugment(batch, { seed: 1, freqMasks: 0, timeMasks: 0 });
    expect(Buffer.from(features.buffer).equals(Buffer.from(batch.features.buffer))).toBe(true);
    expect(features).not.toBe(batch.features);
    expect(masks[3]).toEqual({ warp: { from: 0, to: 0 }, freq: [], time: [] });
    const short = specAugment(batch, { seed: 1, timeWarp: 40, freqMasks: 0, timeMasks: 0 });
    expect(short.masks[1]!.warp).toEqual({ from: 0, to: 0 }); // 37 frames < 2 · 40 + 2
  });

  it('rejects bad options and inconsistent batches naming the argument', () => {
    expect(() => specAugment(batch, { seed: 1.5 })).toThrow(/option seed must be an integer/);
    expect(() => specAugment(batch, { seed: 1, freqMasks: -1 })).toThrow(
      /option freqMasks must be a non-negative/,
    );
    expect(() => specAugment(batch, { seed: 1, timeMaskRatio: 2 })).toThrow(
      /timeMaskRatio must be in \[0, 1\]/,
    );
    expect(() => specAugment(batch, { seed: 1, freqGroups: 7 })).toThrow(
      /freqGroups \(7\) must be >= 1 and divide dim 120/,
    );
    expect(() => specAugment(batch, { seed: 1, freqMaskWidth: 200 })).toThrow(
      /freqMaskWidth \(200\) exceeds the 120 bins/,
    );
    expect(() => specAugment({ ...batch, dim: 40 }, { seed: 1 })).toThrow(
      /batch.features has 48000 values, expected/,
    );
    expect(() => specAugment({ ...batch, lengths: [100, 37, 64, 500] }, { seed: 1 })).toThrow(
      /batch.lengths\[3\] = 500 is not an integer in \[0, maxFrames 100\]/,
    );
  });
});

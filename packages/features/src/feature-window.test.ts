import { describe, expect, it } from 'vitest';
import { fbank } from './fbank';
import { numFrames, resolveFrameOptions, windowFunction } from './feature-window';

describe('windowFunction (Kaldi FeatureWindowFunction closed forms)', () => {
  it('has the textbook end and centre values', () => {
    const n = 401; // odd, so index 200 is the centre
    const at = (t: Parameters<typeof windowFunction>[0]) => windowFunction(t, n);
    expect([at('hanning')[0], at('hanning')[200]]).toEqual([0, 1]);
    expect(at('hamming')[0]).toBeCloseTo(0.08, 12);
    expect(at('blackman')[0]).toBeCloseTo(0, 12);
    expect(at('blackman')[200]).toBeCloseTo(1, 12);
    expect(at('sine')[200]).toBeCloseTo(1, 12);
    expect(at('rectangular').every((v) => v === 1)).toBe(true);
    const h = at('hanning');
    expect(at('povey')).toBeAllclose(
      h.map((v) => v ** 0.85),
      { rtol: 1e-12 },
    );
  });
});

describe('framing', () => {
  it('counts frames as Kaldi NumFrames does with and without snip-edges', () => {
    const o = resolveFrameOptions({}, 't');
    expect([o.windowSize, o.windowShift, o.paddedWindowSize]).toEqual([400, 160, 512]);
    expect(numFrames(23001, o)).toBe(142);
    expect(numFrames(399, o)).toBe(0);
    expect(numFrames(23001, resolveFrameOptions({ snipEdges: false }, 't'))).toBe(144);
  });

  it('log energy: raw (before pre-emphasis, after DC removal) and windowed, against closed forms', () => {
    const x = Float32Array.from({ length: 800 }, (_, i) => Math.round(1000 * Math.sin(i / 7) + 300));
    const frame0 = Array.from(x.subarray(0, 400));
    const mean = frame0.reduce((a, b) => a + b, 0) / 400;
    const raw = fbank(x, { useEnergy: true });
    expect(raw.data[0]).toBeCloseTo(Math.log(frame0.reduce((a, v) => a + (v - mean) ** 2, 0)), 4);
    const windowed = fbank(x, {
      useEnergy: true,
      rawEnergy: false,
      windowType: 'rectangular',
      preemphCoeff: 0,
      removeDcOffset: false,
    });
    expect(windowed.data[0]).toBeCloseTo(Math.log(frame0.reduce((a, v) => a + v * v, 0)), 4);
    const floored = fbank(x, { useEnergy: true, energyFloor: 1e12 });
    expect(floored.data[0]).toBeCloseTo(Math.log(1e12), 4);
  });

  it('usePower false: a bin-centred tone gives mel power / mel magnitude = |X_k| = A N / 2 (closed form)', () => {
    const a = 1000;
    const k = 40; // 1250 Hz, exactly on FFT bin 40 of a 512-sample frame
    const x = Float32Array.from({ length: 4096 }, (_, i) => a * Math.cos((2 * Math.PI * k * i) / 512));
    const opts = {
      frameLength: 32,
      windowType: 'rectangular',
      preemphCoeff: 0,
      removeDcOffset: false,
      useLogFbank: false,
    } as const;
    const pow = fbank(x, opts);
    const mag = fbank(x, { ...opts, usePower: false });
    const peak = Math.max(...mag.data.subarray(0, 23));
    let checked = 0;
    for (let b = 0; b < 23; b++) {
      if (mag.data[b]! < 0.01 * peak) continue;
      expect(pow.data[b]! / mag.data[b]!).toBeCloseTo((a * 512) / 2, -1);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(1);
  });
});

import { describe, expect, it } from 'vitest';
import {
  type PlateauOptions,
  plateauInit,
  plateauStep,
  retrainSchedule,
  searchSchedule,
  warmupSchedule,
} from './plateau-schedule';

function run(o: PlateauOptions, losses: number[]) {
  let s = plateauInit(o);
  const saves: number[] = [];
  const lrs: number[] = [];
  for (const loss of losses) {
    const d = plateauStep(o, s, loss);
    s = d.state;
    if (d.saveBest) saves.push(s.epoch);
    lrs.push(s.lr);
    if (s.stopped) break;
  }
  return { s, saves, lrs };
}

describe('warmup schedule', () => {
  it('stops after 3 epochs past the minimum without an improvement of minLossImprove', () => {
    const o = warmupSchedule({ minEpochs: 2, minLossImprove: 0.5 });
    // epochs 1-2 track; epoch 3 improves by 1.0 (resets); 4,5,6 improve by < 0.5 each.
    const r = run(o, [10, 9, 8, 7.8, 7.6, 7.55, 1]);
    expect(r.s.stopped).toBe(true);
    expect(r.s.epoch).toBe(6);
    expect(r.s.best).toBe(7.55);
    expect(r.saves).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('always leaves a best checkpoint, even when nothing after the minimum improves', () => {
    const o = warmupSchedule({ minEpochs: 3, minLossImprove: 0.5 });
    const r = run(o, [5, 4, 3, 3.1, 3.2, 3.3, 0]);
    expect(r.s.stopped).toBe(true);
    expect(r.s.epoch).toBe(6);
    expect(r.saves).toEqual([1, 2, 3]);
    expect(r.s.bestEpoch).toBe(3);
  });

  it('a NaN loss is a non-improving epoch and never the best', () => {
    const o = warmupSchedule({ minEpochs: 0, minLossImprove: 0 });
    const r = run(o, [2, Number.NaN, Number.NaN, Number.NaN]);
    expect(r.s.best).toBe(2);
    expect(r.s.stopped).toBe(true);
  });
});

describe('search schedule', () => {
  it('decays 1e-3 -> 1e-4 after 3 bad epochs and stops at the next bad one', () => {
    const o = searchSchedule();
    const r = run(o, [5, 4, 4.5, 4.5, 4.5, 4.6, 0]);
    expect(r.lrs.map((x) => Number(x.toPrecision(3)))).toEqual([1e-3, 1e-3, 1e-3, 1e-3, 1e-4, 1e-5]);
    expect(r.s.stopped).toBe(true);
    expect(r.s.epoch).toBe(6);
  });

  it('an improvement after the decay postpones the stop by 3 more bad epochs', () => {
    const o = searchSchedule();
    const r = run(o, [5, 6, 6, 6, 3, 6, 6, 6, 0]);
    expect(r.s.epoch).toBe(8);
    expect(r.s.stopped).toBe(true);
  });
});

describe('retrain schedule', () => {
  it('after the minimum, x0.1 on every bad epoch, stopping below 1e-5', () => {
    const o = retrainSchedule({ minEpochs: 2 });
    const r = run(o, [5, 4, 4.5, 3, 3.5, 3.5, 3.5, 0]);
    expect(r.lrs.map((x) => Number(x.toPrecision(3)))).toEqual([1e-3, 1e-3, 1e-4, 1e-4, 1e-5, 1e-6]);
    expect(r.s.stopped).toBe(true);
    expect(r.s.reason).toMatch(/fell below 1\.0e-5/);
    expect(r.s.bestEpoch).toBe(4);
  });

  it('stops at maxEpochs', () => {
    const o = retrainSchedule({ minEpochs: 0, maxEpochs: 3 });
    const r = run(o, [5, 4, 3, 2]);
    expect(r.s.epoch).toBe(3);
    expect(r.s.reason).toMatch(/maximum of 3/);
  });

  it('the state survives a JSON round trip unchanged (resume)', () => {
    const o = retrainSchedule({ minEpochs: 1 });
    const a = run(o, [5, 4]).s;
    const b = JSON.parse(JSON.stringify({ ...a, best: a.best })) as typeof a;
    expect(plateauStep(o, b, 4.5)).toEqual(plateauStep(o, a, 4.5));
  });
});

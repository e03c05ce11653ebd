import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRng } from '@stnas/st-estimator';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdam } from './adam';
import { readCheckpoint } from './checkpoint';
import { retrainSchedule } from './plateau-schedule';
import { safeUpdate } from './safe-update';
import { type LoopSpec, ResumeError, runLoop, shuffledOrder } from './train-loop';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// A linear model y = x w + noise-dropout: small, but it draws from the rng in every step (like
// path sampling and dropout), so exact resume needs the rng state as well as weights and moments.
function problem(dir: string, opts: { nanBatch?: number } = {}) {
  const data = createRng(7);
  const X = Array.from({ length: 6 }, () =>
    tf.tensor2d(
      Array.from({ length: 12 }, () => data.next() * 2 - 1),
      [4, 3],
    ),
  );
  const trueW = tf.tensor2d([[1], [-2], [0.5]]);
  const Y = X.map((x, i) => (i === opts.nanBatch ? tf.fill([4, 1], Number.NaN) : tf.matMul(x, trueW)));
  const w = tf.tidy(() => tf.variable(tf.zeros([3, 1]), true));
  const adam = createAdam({ lr: 0.05 });
  const optimizer = { name: 'weights', adam, state: adam.init() };
  const spec: LoopSpec = {
    stage: 'retrain',
    dir,
    schedule: retrainSchedule({ minEpochs: 2, maxEpochs: 4, lr: 0.05 }),
    rng: createRng(1),
    batches: 6,
    variables: new Map([['w', w]]),
    optimizers: [optimizer],
    checkpointEvery: 4,
    trainStep(b, { rng, lr }) {
      const keep = tf.tensor2d([[rng.next() < 0.8 ? 1 : 0], [1], [rng.next() < 0.8 ? 1 : 0]]);
      const r = safeUpdate(
        () => tf.mean(tf.square(tf.sub(tf.matMul(X[b]!, tf.mul(w, keep)), Y[b]!))) as tf.Scalar,
        [w],
        adam,
        optimizer.state,
        lr,
      );
      keep.dispose();
      return { loss: r.loss, frames: 4, skipped: r.skipped };
    },
    evaluate: () => tf.tidy(() => tf.mean(tf.square(tf.sub(w, trueW))).dataSync()[0]!),
    stepLog: (step) => ({ step, w: Array.from(w.dataSync()) }),
  };
  return { spec, w, dispose: () => tf.dispose([...X, ...Y, trueW, w]) };
}

function tmp() {
  const d = mkdtempSync(path.join(os.tmpdir(), 'stnas-loop-'));
  dirs.push(d);
  return d;
}

const stable = (h: { framesPerSecond: number }[]) => h.map(({ framesPerSecond: _f, ...r }) => r);

describe('runLoop', () => {
  it('a run killed mid-epoch and restarted ends with bit-identical weights, history and logs', async () => {
    const a = problem(tmp());
    const straight = await runLoop(a.spec);
    expect(straight.finished).toBe(true);
    const wStraight = Array.from(a.w.dataSync());
    const logStraight = readFileSync(path.join(a.spec.dir, 'steps.jsonl'), 'utf8');
    const bestStraight = readCheckpoint(path.join(a.spec.dir, 'best.ckpt'));
    a.dispose();

    for (const killAt of [3, 6, 13, 21]) {
      const dir = tmp();
      const b = problem(dir);
      b.spec.beforeStep = (step) => {
        if (step === killAt) throw new Error('killed');
      };
      await expect(runLoop(b.spec)).rejects.toThrow('killed');
      b.dispose();
      const c = problem(dir); // a fresh process: new variables, new rng, fresh Adam
      const resumed = await runLoop(c.spec);
      expect(resumed.resumed).toBe(killAt > 4); // the first checkpoint is at step 4
      expect(Array.from(c.w.dataSync())).toEqual(wStraight);
      expect(stable(resumed.state.history)).toEqual(stable(straight.state.history));
      expect(readFileSync(path.join(dir, 'steps.jsonl'), 'utf8')).toBe(logStraight);
      const best = readCheckpoint(path.join(dir, 'best.ckpt'));
      expect(best.state).toEqual(bestStraight.state);
      expect(Array.from(best.arrays['var/w']!.data)).toEqual(Array.from(bestStraight.arrays['var/w']!.data));
      c.dispose();
    }
    // The model learnt something (the test is not vacuous): the dev loss fell.
    const h = straight.state.history;
    expect(h.at(-1)!.devLoss).toBeLessThan(h[0]!.devLoss);
    expect(h).toHaveLength(4);
  });

  it('keeps a best checkpoint holding the weights of the lowest dev loss', async () => {
    const a = problem(tmp());
    const r = await runLoop(a.spec);
    const best = readCheckpoint<{ epoch: number; devLoss: number }>(path.join(a.spec.dir, 'best.ckpt'));
    const h = r.state.history;
    const min = Math.min(...h.map((e) => e.devLoss));
    expect(best.state.devLoss).toBe(min);
    expect(best.state.epoch).toBe(h.find((e) => e.devLoss === min)!.epoch);
    a.dispose();
  });

  it('skips a NaN batch with a record and leaves the weights finite', async () => {
    const a = problem(tmp(), { nanBatch: 2 });
    const r = await runLoop(a.spec);
    expect(r.state.history.map((e) => e.skipped)).toEqual([1, 1, 1, 1]);
    expect(Array.from(a.w.dataSync()).every(Number.isFinite)).toBe(true);
    expect(r.state.history.every((e) => Number.isFinite(e.trainLoss))).toBe(true);
    a.dispose();
  });

  it('pauses after maxStepsThisRun and a rerun continues', async () => {
    const dir = tmp();
    const a = problem(dir);
    a.spec.maxStepsThisRun = 5;
    const r = await runLoop(a.spec);
    expect(r.finished).toBe(false);
    expect(r.state.step).toBe(5);
    a.dispose();
    const b = problem(dir);
    const r2 = await runLoop(b.spec);
    expect(r2.finished).toBe(true);
    expect(r2.state.step).toBe(24);
    b.dispose();
  });

  it('refuses a checkpoint of another stage or model, naming the file', async () => {
    const dir = tmp();
    const a = problem(dir);
    a.spec.maxStepsThisRun = 1;
    await runLoop(a.spec);
    a.dispose();
    const b = problem(dir);
    b.spec.stage = 'warmup';
    await expect(runLoop(b.spec)).rejects.toThrow(ResumeError);
    await expect(runLoop(b.spec)).rejects.toThrow(
      /checkpoint\.ckpt is a checkpoint of stage "retrain", not "warmup"/,
    );
    b.spec.stage = 'retrain';
    b.spec.batches = 5;
    await expect(runLoop(b.spec)).rejects.toThrow(/6 batches per epoch, not 5/);
    b.dispose();
  });

  it('records p per epoch and stops on the stage rule, naming it, also at the cap', async () => {
    const a = problem(tmp());
    a.spec.archProbs = () => [[Number(a.w.dataSync()[0]!.toFixed(3)), 0.5]];
    const seen: number[] = [];
    a.spec.stopRule = (h) => {
      seen.push(h.length);
      return h.length >= 2 && h.every((r) => r.archProbs?.length === 1) ? 'decided' : undefined;
    };
    const r = await runLoop(a.spec);
    expect(seen).toEqual([1, 2]);
    expect(r.state.schedule).toMatchObject({ epoch: 2, stopped: true, reason: 'decided' });
    const file = JSON.parse(readFileSync(path.join(a.spec.dir, 'history.json'), 'utf8'));
    expect(file.history.map((e: { archProbs: number[][] }) => e.archProbs[0]![1])).toEqual([0.5, 0.5]);
    expect(file.history[1].archProbs[0][0]).toBe(Number(a.w.dataSync()[0]!.toFixed(3)));
    a.dispose();

    const b = problem(tmp());
    b.spec.schedule = { ...b.spec.schedule, maxEpochs: 2 };
    b.spec.stopRule = (h) => (h.length === 2 ? 'decided' : undefined);
    expect((await runLoop(b.spec)).state.schedule.reason).toBe('decided');
    b.dispose();
    const c = problem(tmp());
    c.spec.stopRule = () => undefined;
    expect((await runLoop(c.spec)).state.schedule.reason).toBe('reached the maximum of 4 epochs');
    c.dispose();
  });

  it('shuffles with every order reachable and deterministic per rng state', () => {
    const seen = new Set<string>();
    const rng = createRng(3);
    for (let i = 0; i < 200; i++) seen.add(shuffledOrder(3, rng).join(''));
    expect([...seen].sort()).toEqual(['012', '021', '102', '120', '201', '210']);
    expect(shuffledOrder(10, createRng(5))).toEqual(shuffledOrder(10, createRng(5)));
  });
});

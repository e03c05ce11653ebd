import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { crfForwardBackward } from './ctc-crf-utterance';
import { type CtcBatch, ctcForwardBackward } from './ctc-forward-backward';
import { ctcLoss } from './ctc-loss';
import { CTC_PARALLEL_MIN_WORK, CtcWorkerPool, ctcWork, sharedCtcPool } from './ctc-worker-pool';
import { buildDenominatorGraph } from './denominator-graph';
import { denominatorLayout } from './denominator-layout';
import { mulberry32 as rng } from './mulberry32';
import { estimatePhoneLm } from './phone-lm';

/**
 * A batch large enough for the pool, with varied lengths, an infeasible utterance (2 frames for 3
 * labels), an empty target, padding, and one utterance whose probabilities underflow float64 so it
 * takes the log-space fallback.
 */
function makeBatch(seed: number, B = 12, T = 120, C = 20): CtcBatch {
  const r = rng(seed);
  const data = new Float32Array(B * T * C);
  for (let i = 0; i < data.length; i++) data[i] = 4 * (r() - 0.5);
  const targets: Int32Array[] = [];
  const inputLengths: number[] = [];
  for (let b = 0; b < B; b++) {
    const U = b === 1 ? 0 : 5 + Math.floor(r() * 30);
    targets.push(Int32Array.from({ length: U }, () => 1 + Math.floor(r() * (C - 1))));
    inputLengths.push(b === 0 ? 2 : T - Math.floor(r() * 40));
  }
  targets[0] = Int32Array.from([1, 2, 3]);
  // Utterance 2: the target's classes sit 800 nats below the rest, so the scaled recursion underflows.
  if (B > 2) {
    for (let t = 0; t < T; t++) for (const k of targets[2]!) data[(2 * T + t) * C + k]! -= 800;
  }
  return { data, batch: B, time: T, classes: C, targets, inputLengths, blank: 0, scores: 'logits' };
}

/** Asserts two arrays hold the same bits (NaN included), reporting the first differing element. */
function expectSameBits(actual: Float32Array | Float64Array, expected: Float32Array | Float64Array): void {
  expect(actual.constructor).toBe(expected.constructor);
  expect(actual.length).toBe(expected.length);
  const a = new Uint8Array(actual.buffer, actual.byteOffset, actual.byteLength);
  const e = new Uint8Array(expected.buffer, expected.byteOffset, expected.byteLength);
  let first = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== e[i]) {
      first = Math.floor(i / actual.BYTES_PER_ELEMENT);
      break;
    }
  }
  expect(first === -1 ? 'identical' : `element ${first}: ${actual[first]} vs ${expected[first]}`).toBe(
    'identical',
  );
}

const pools: CtcWorkerPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

/** Runs jobs until the pool's worker has computed part of one (it starts asynchronously). */
async function runUntilShared(pool: CtcWorkerPool, batch: CtcBatch) {
  for (let i = 0; i < 200; i++) {
    const result = pool.run(batch);
    if (pool.lastWorkerUtterances > 0) return result;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the worker never took part');
}

describe('CtcWorkerPool', () => {
  it('measures work as frames x (extended states + classes), summed over utterances', () => {
    const batch = makeBatch(1, 2, 30, 8);
    const expected = batch.inputLengths[0]! * (7 + 8) + batch.inputLengths[1]! * (1 + 8);
    expect(ctcWork(batch)).toBe(expected);
    expect(ctcWork(makeBatch(1))).toBeLessThan(CTC_PARALLEL_MIN_WORK); // tests lower minWork
  });

  it('gives bit-identical losses, gradients and fallback counts to the single-threaded kernel', async () => {
    const pool = new CtcWorkerPool({ workers: 1, minWork: 1000 });
    pools.push(pool);
    const batch = makeBatch(7);
    const serial = ctcForwardBackward(batch);
    expect(serial.logSpaceFallbacks).toBe(1);
    expect(serial.losses[0]).toBe(Number.POSITIVE_INFINITY);
    expect(serial.losses[1]).toBeGreaterThan(0);
    const parallel = await runUntilShared(pool, batch);
    expect(pool.failed).toBeUndefined();
    expect(pool.lastWorkerUtterances).toBeGreaterThan(0);
    expectSameBits(parallel.losses, serial.losses);
    expectSameBits(parallel.grad!, serial.grad!);
    expect(parallel.logSpaceFallbacks).toBe(1);
    // loss only, and the forced log-space recursion
    const lossOnly = pool.run(batch, { grad: false });
    expect(lossOnly.grad).toBeUndefined();
    expectSameBits(lossOnly.losses, serial.losses);
    const logSerial = ctcForwardBackward(batch, { method: 'log' });
    const logParallel = pool.run(batch, { method: 'log' });
    expect(logSerial.logSpaceFallbacks).toBe(batch.batch - 1); // all but the infeasible one
    expect(logParallel.logSpaceFallbacks).toBe(batch.batch - 1);
    expectSameBits(logParallel.losses, logSerial.losses);
    expectSameBits(logParallel.grad!, logSerial.grad!);
  });

  it('starts its workers before the first large batch returns, so that batch is already shared', () => {
    // The pool blocks until its workers have loaded: nothing of their start-up (from source, tsx
    // forks an esbuild process) may overlap what the main thread does next, such as a threaded
    // OpenBLAS call, which a fork from another thread leaves waiting forever. A pool that returned
    // before its workers were up would compute this first batch alone.
    const pool = new CtcWorkerPool({ workers: 1 });
    pools.push(pool);
    const batch = makeBatch(21, 160, 400, 40);
    const serial = ctcForwardBackward(batch);
    const first = pool.run(batch);
    expect(pool.failed).toBeUndefined();
    expect(pool.lastWorkerUtterances).toBeGreaterThan(0);
    expectSameBits(first.losses, serial.losses);
    expectSameBits(first.grad!, serial.grad!);
  });

  it('keeps small batches on the main thread without starting workers', () => {
    const pool = new CtcWorkerPool({ workers: 1 });
    pools.push(pool);
    const batch = makeBatch(3, 2, 30, 8);
    expect(ctcWork(batch)).toBeLessThan(CTC_PARALLEL_MIN_WORK);
    const result = pool.run(batch);
    expect(pool.started).toBe(false);
    expectSameBits(result.grad!, ctcForwardBackward(batch).grad!);
  });

  it('falls back to one thread with the same results when the worker script cannot load', async () => {
    const pool = new CtcWorkerPool({
      workers: 1,
      workerUrl: pathToFileURL('/nonexistent/ctc-worker.js'),
      minWork: 1000,
    });
    pools.push(pool);
    const batch = makeBatch(11);
    const serial = ctcForwardBackward(batch);
    for (let i = 0; i < 50 && !pool.failed; i++) {
      expectSameBits(pool.run(batch).grad!, serial.grad!);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(pool.failed?.message).toMatch(/nonexistent|Cannot find|exited/);
    expect(pool.threads).toBe(0);
    const after = pool.run(batch);
    expect(pool.lastWorkerUtterances).toBe(0);
    expectSameBits(after.losses, serial.losses);
    expectSameBits(after.grad!, serial.grad!);
  });

  it('recomputes the utterances of a worker that claims them and dies, then stays single-threaded', async () => {
    // A worker that claims every utterance it can and exits without computing any.
    const dir = mkdtempSync(path.join(tmpdir(), 'ctc-pool-'));
    const script = path.join(dir, 'dying-worker.mjs');
    writeFileSync(
      script,
      `import { parentPort } from 'node:worker_threads';
parentPort.postMessage('ready');
parentPort.on('message', ({ job }) => {
  for (let b = job.batch - 1; b >= 0; b--) Atomics.compareExchange(job.status, b, 0, 1);
  process.exit(3);
});`,
    );
    try {
      const pool = new CtcWorkerPool({
        workers: 1,
        workerUrl: pathToFileURL(script),
        timeoutMs: 300,
        minWork: 1000,
      });
      pools.push(pool);
      const batch = makeBatch(5);
      const serial = ctcForwardBackward(batch);
      let result = pool.run(batch);
      for (let i = 0; i < 100 && !pool.failed; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        result = pool.run(batch);
      }
      expect(pool.failed?.message).toMatch(/did not finish utterance|exited with code 3/);
      expectSameBits(result.losses, serial.losses);
      expectSameBits(result.grad!, serial.grad!);
      expect(result.logSpaceFallbacks).toBe(serial.logSpaceFallbacks);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ctcLoss gives the same loss and gradient bits through the shared pool as the kernel alone', async () => {
    const batch = makeBatch(9, 24, 200, 40);
    expect(ctcWork(batch)).toBeGreaterThan(CTC_PARALLEL_MIN_WORK);
    let workerTookPart = false;
    const x = tf.tensor3d(batch.data as Float32Array, [batch.batch, batch.time, batch.classes]);
    const inputLengths = Array.from(batch.inputLengths);
    const targets = batch.targets as Int32Array[];
    const serial = ctcForwardBackward(batch);
    for (let i = 0; i < 200 && !workerTookPart; i++) {
      await new Promise((resolve) => setTimeout(resolve, i === 0 ? 0 : 20));
      const { value, grad } = tf.valueAndGrad((t: tf.Tensor) =>
        ctcLoss(t, targets, inputLengths, { reduction: 'sum', zeroInfinity: true }),
      )(x);
      let expected = 0;
      for (const l of serial.losses) if (l !== Number.POSITIVE_INFINITY) expected += l;
      expect(value.dataSync()[0]).toBe(Math.fround(expected));
      const g = grad.dataSync();
      const want = Float32Array.from(serial.grad!);
      want.fill(0, 0, batch.time * batch.classes); // zeroInfinity zeroes the infeasible utterance
      expectSameBits(g as Float32Array, want);
      tf.dispose([value, grad]);
      workerTookPart = sharedCtcPool().threads === 0 || sharedCtcPool().lastWorkerUtterances > 0;
    }
    x.dispose();
    expect(sharedCtcPool().failed).toBeUndefined();
    expect(workerTookPart).toBe(true);
  });
});

describe('CtcWorkerPool with CTC-CRF jobs', () => {
  it('gives bit-identical CTC losses, denominators, gradients and fallbacks to the serial kernel', async () => {
    const pool = new CtcWorkerPool({ workers: 1, minWork: 1000 });
    pools.push(pool);
    const batch = makeBatch(13, 8, 60, 12);
    // a 3-gram over the batch's own targets, so every reference has a path
    const lm = estimatePhoneLm(batch.targets as Int32Array[], { order: 3 });
    const graph = buildDenominatorGraph(lm, { numClasses: 12 });
    const layout = denominatorLayout(graph);
    const serial = crfForwardBackward(batch, layout, 0.1);
    expect(serial.losses[0]).toBe(Number.POSITIVE_INFINITY);
    expect(serial.logSpaceFallbacks).toBeGreaterThanOrEqual(1);
    let parallel = pool.runCrf(batch, graph, 0.1);
    for (let i = 0; i < 200 && pool.lastWorkerUtterances === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      parallel = pool.runCrf(batch, graph, 0.1);
    }
    expect(pool.failed).toBeUndefined();
    expect(pool.lastWorkerUtterances).toBeGreaterThan(0);
    expectSameBits(parallel.losses, serial.losses);
    expectSameBits(parallel.den, serial.den);
    expectSameBits(parallel.grad!, serial.grad!);
    expect(parallel.logSpaceFallbacks).toBe(serial.logSpaceFallbacks);
    const lossOnly = pool.runCrf(batch, graph, 0.1, { grad: false });
    expect(lossOnly.grad).toBeUndefined();
    expectSameBits(lossOnly.den, serial.den);
    const logSerial = crfForwardBackward(batch, layout, 0.1, { method: 'log' });
    const logParallel = pool.runCrf(batch, graph, 0.1, { method: 'log' });
    expectSameBits(logParallel.den, logSerial.den);
    expectSameBits(logParallel.grad!, logSerial.grad!);
    // the scaled and log-space denominators agree
    expect(serial.den).toBeAllclose(logSerial.den, { rtol: 1e-10, atol: 1e-9 });
  });
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { backwardMemory } from './backward-memory';
import { detached } from './detached';

const dense = (w1: tf.Tensor, w2: tf.Tensor) => (x: tf.Tensor) => tf.matMul(tf.relu(tf.matMul(x, w1)), w2);

describe('detached', () => {
  it('returns exactly fn(x)', () => {
    const x = tf.randomNormal([3, 4], 0, 1, 'float32', 1);
    const w = tf.randomNormal([4, 5], 0, 1, 'float32', 2);
    const f = (v: tf.Tensor) => tf.tanh(tf.matMul(v, w));
    expect(Array.from(detached(f, x).dataSync())).toEqual(Array.from(f(x).dataSync()));
    // Identity: a fresh tensor with x's values, not x itself.
    const id = detached((v) => v, x);
    expect(id).not.toBe(x);
    expect(Array.from(id.dataSync())).toEqual(Array.from(x.dataSync()));
  });

  it('passes no gradient to x or to the variables fn uses', () => {
    const x = tf.randomNormal([2, 3], 0, 1, 'float32', 3);
    const g = tf.grad((v: tf.Tensor) =>
      tf.sum(
        tf.add(
          tf.mul(v, 2),
          detached((u) => tf.square(u), v),
        ),
      ),
    )(x);
    expect(g).toBeAllclose(tf.fill([2, 3], 2));
    const w = tf.variable(tf.ones([3, 3]), true, 'det_w');
    const u = tf.variable(tf.ones([3, 3]), true, 'det_u');
    const { value, grads } = tf.variableGrads(
      () =>
        tf.sum(
          tf.add(
            tf.matMul(x, u),
            detached((v) => tf.matMul(v, w), x),
          ),
        ) as tf.Scalar,
    );
    expect(Object.keys(grads)).toEqual(['det_u']);
    tf.dispose([value, grads, w, u]);
  });

  it('keeps no tensor of fn for backward (tf.memory at the start of backward)', () => {
    const b = 16;
    const d = 8;
    const h = 64;
    const x = tf.randomNormal([b, d], 0, 1, 'float32', 4);
    const w1 = tf.variable(tf.randomNormal([d, h], 0, 1, 'float32', 5), true, 'det_w1');
    const w2 = tf.variable(tf.randomNormal([h, d], 0, 1, 'float32', 6), true, 'det_w2');
    const a = tf.variable(tf.ones([b, d]), true, 'det_a');
    const f = dense(w1, w2);
    const precomputed = f(x);
    const baseline = backwardMemory(() => tf.sum(tf.mul(a, precomputed)), [a]);
    const onTape = backwardMemory(() => tf.sum(tf.mul(a, f(x))), [a]);
    const offTape = backwardMemory(() => tf.sum(tf.mul(a, detached(f, x))), [a]);
    // Off the tape, fn costs at most its own output [b, d] over a value computed before the step;
    // on the tape, relu's input and output [b, h] are kept too.
    expect(offTape.numBytes).toBeLessThanOrEqual(baseline.numBytes + b * d * 4);
    expect(offTape.numTensors).toBeLessThanOrEqual(baseline.numTensors + 1);
    expect(onTape.numBytes).toBeGreaterThanOrEqual(offTape.numBytes + 2 * b * h * 4);
    tf.dispose([w1, w2, a]);
  });

  it('relies on the engine turning the tape off inside customGrad forward (tfjs-core engine.js)', () => {
    // The claim in detached's doc, checked against the installed engine's source: runKernelFunc
    // runs every kernel (custom-grad forwards included) with kernelDepth incremented, the tape is
    // on only at kernelDepth 0, and a custom forward runs inside its own tidy.
    const require = createRequire(import.meta.url);
    const core = path.dirname(require.resolve('@tensorflow/tfjs-core/package.json'));
    const src = readFileSync(path.join(core, 'dist', 'engine.js'), 'utf8');
    expect(src).toMatch(/return this\.state\.gradientDepth > 0 && this\.state\.kernelDepth === 0;/);
    expect(src).toMatch(/\(\) => this\.state\.kernelDepth\+\+, \(\) => this\.state\.kernelDepth--/);
    expect(src).toMatch(/out = this\.tidy\(\(\) => forwardFunc\(this\.backend, saveFunc\)\);/);
  });

  it('leaks nothing across repeated calls', () => {
    const x = tf.randomNormal([4, 4], 0, 1, 'float32', 7);
    const w = tf.variable(tf.randomNormal([4, 4], 0, 1, 'float32', 8), true, 'det_leak');
    const step = () => {
      const { value, grads } = tf.variableGrads(
        () =>
          tf.sum(
            tf.mul(
              detached((v) => tf.relu(tf.matMul(v, w)), x),
              tf.matMul(x, w),
            ),
          ) as tf.Scalar,
      );
      tf.dispose([value, grads]);
    };
    step();
    const n = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) step();
    expect(tf.memory().numTensors).toBe(n);
    w.dispose();
  });
});

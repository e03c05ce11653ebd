import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { backwardMemory } from './backward-memory';
import { createEstimator } from './create-estimator';
import { createRng } from './rng';
import { createToySupernet } from './toy-supernet';

// Toy supernet: K = 4 dense candidates d -> h -> d with h = 8d, batch 32. Per path the tape keeps
// relu's input and output (2 B h floats); ST adds the K outputs it needs for <dy, o_i> (K B d),
// so ST / single = 1 + K d / (2 h) = 1.25 here; DARTS keeps every path: about K x.
const K = 4;
const B = 32;
const D = 16;
const H = 128;

describe('memory of an arch step on a toy supernet', () => {
  const net = createToySupernet(K, D, H, 100);
  const x = tf.randomNormal([B, D], 0, 1, 'float32', 1);
  const target = tf.randomNormal([B, D], 0, 1, 'float32', 2);
  const loss = (y: tf.Tensor) => tf.mean(tf.square(tf.sub(y, target))) as tf.Scalar;
  const arch: tf.Variable[] = [net.archLogits];

  it('ST keeps one path (within 1.3x of a single-path step); DARTS about K x', () => {
    const rng = createRng(3);
    const single = backwardMemory(() => loss(net.candidate(1, x)), arch.concat(net.weights[1]!));
    const st = backwardMemory(() => loss(net.forward(createEstimator('st'), x, rng)), arch);
    const gdas = backwardMemory(() => loss(net.forward(createEstimator('gdas'), x, rng)), arch);
    const darts = backwardMemory(() => loss(net.forward(createEstimator('darts'), x, rng)), arch);
    const snas = backwardMemory(() => loss(net.forward(createEstimator('snas'), x, rng)), arch);
    const perPath = 2 * B * H * 4;
    expect(single.numBytes).toBeGreaterThanOrEqual(perPath);
    expect(st.numBytes / single.numBytes).toBeLessThanOrEqual(1.3);
    expect(gdas.numBytes / single.numBytes).toBeLessThanOrEqual(1.1);
    expect(darts.numBytes / single.numBytes).toBeGreaterThanOrEqual(0.8 * K);
    expect(darts.numBytes / single.numBytes).toBeLessThanOrEqual(1.3 * K);
    expect(snas.numBytes / single.numBytes).toBeGreaterThanOrEqual(0.8 * K);
  });

  it('the live tensor count is flat across repeated ST arch steps', () => {
    const rng = createRng(4);
    const st = createEstimator('st');
    const optimizer = tf.train.adam(0.01);
    const step = () => {
      const cost = optimizer.minimize(() => loss(net.forward(st, x, rng)), true, arch);
      cost?.dispose();
    };
    step();
    const n = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    for (let i = 0; i < 25; i++) step();
    expect(tf.memory().numTensors).toBe(n);
    expect(tf.memory().numBytes).toBe(bytes);
    optimizer.dispose();
  });
});

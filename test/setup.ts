// Shared vitest setup: the cpu backend with every TF.js gradient registered, and `toBeAllclose`.
// tfjs-core alone registers no gradients in Node; the union package does (see docs/engines.md).
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect } from 'vitest';
import { type AllcloseOptions, firstMismatch, flatten } from './allclose';

expect.extend({
  toBeAllclose(received: unknown, expected: unknown, options: AllcloseOptions = {}) {
    const rtol = options.rtol ?? 1e-5;
    const atol = options.atol ?? 1e-8;
    const a = flatten(received);
    const b = flatten(expected);
    if (a.length !== b.length) {
      return {
        pass: false,
        message: () => `expected ${b.length} values, received ${a.length}`,
      };
    }
    const i = firstMismatch(a, b, rtol, atol);
    return {
      pass: i < 0,
      message: () =>
        i < 0
          ? `expected values not to be allclose (rtol ${rtol}, atol ${atol})`
          : `value ${i} differs: received ${a[i]}, expected ${b[i]} (rtol ${rtol}, atol ${atol}; ` +
            `max abs diff ${Math.max(...a.map((v, k) => Math.abs(v - b[k]!)))})`,
    };
  },
});

// PROD silences TF.js's console hints about tfjs-node. IS_TEST stays off: its kernel leak check
// counts the buffers a customGrad forward saves for backward (copies on wasm) as leaks.
tf.env().set('PROD', true);

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

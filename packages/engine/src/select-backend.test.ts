import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../../test/backends';
import { BackendUnavailableError, selectBackend } from './select-backend';

describe('selectBackend', () => {
  afterAll(() => useBackend('cpu'));

  it('sets the cpu backend when asked and says why', async () => {
    const s = await selectBackend('cpu');
    expect(s.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(s.why).toMatch(/requested/);
  });

  it('starts wasm offline with SIMD from the package files', async () => {
    const s = await selectBackend('wasm');
    expect(s.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(s.simd).toBe(true);
    expect(s.threads).toBeGreaterThanOrEqual(1);
  });

  it('auto skips the missing native packages with one line each and lands on wasm', async () => {
    const s = await selectBackend('auto');
    expect(s.backend).toBe('wasm');
    const native = s.attempts.filter((a) => a.package.includes('tfjs-node'));
    expect(native).toHaveLength(2);
    for (const a of native) {
      expect(a.ok).toBe(false);
      expect(a.reason).toMatch(/is not installed \(install it with: npm install @tensorflow\/tfjs-node/);
      expect(a.reason).not.toContain('\n');
    }
  });

  it('throws one clear line when tensorflow is requested but not installed', async () => {
    const err = await selectBackend('tensorflow').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toMatch(/npm install @tensorflow\/tfjs-node/);
    expect((err as Error).message).not.toContain('\n');
  });
});

describe.each(['cpu', 'wasm'] as const)('gradients on %s', (backend) => {
  it('tf.grad of a sum of squares is 2x (gradients registered in Node)', async () => {
    await useBackend(backend);
    const x = tf.tensor1d([1, -2, 3.5]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.square(v)))(x);
    expect(g).toBeAllclose([2, -4, 7]);
    tf.dispose([x, g]);
  });
});

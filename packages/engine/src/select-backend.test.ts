import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { OPENBLAS, skipWithoutBlas, useBackend } from '../../../test/backends';
import { needs } from '../../../test/system-tools';
import { hasBlasKernels } from './blas-kernels';
import { formatEngineFacts } from './engine-facts';
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

describe('selectBackend and the BLAS', () => {
  afterAll(() => useBackend('cpu'));

  it.skipIf(skipWithoutBlas).each(['wasm', 'cpu'] as const)(
    `%s: BLAS on by default, named with its config and threads, and off on request ${needs(OPENBLAS, 'BLAS')}`,
    async (backend) => {
      const on = await selectBackend(backend);
      expect(on.blasReason).toBeUndefined();
      expect(on.blas?.library).toMatch(/blas|mkl|Accelerate/i);
      expect(on.blas?.config.length).toBeGreaterThan(0);
      expect(on.blas?.threads).toBe(backend === 'wasm' ? on.threads : os.availableParallelism());
      expect(hasBlasKernels(backend)).toBe(true);
      const blasLine = formatEngineFacts(on).find((l) => l.startsWith('blas'));
      expect(blasLine).toContain(on.blas!.config);
      const off = await selectBackend(backend, { blas: 'off' });
      expect(off.blas).toBeUndefined();
      expect(off.blasReason).toBe('BLAS turned off (--blas off)');
      expect(hasBlasKernels(backend)).toBe(false);
      expect(formatEngineFacts(off)).toContain('blas      none: BLAS turned off (--blas off)');
    },
  );

  it('STNAS_BLAS=off and a bogus STNAS_BLAS path fall back to the stock kernels with one line', async () => {
    const saved = process.env.STNAS_BLAS;
    try {
      process.env.STNAS_BLAS = 'off';
      const off = await selectBackend('wasm');
      expect(off.blasReason).toBe('BLAS turned off by STNAS_BLAS=off');
      process.env.STNAS_BLAS = '/nonexistent/libopenblas.so.0';
      const bogus = await selectBackend('wasm');
      expect(bogus.backend).toBe('wasm');
      expect(bogus.blas).toBeUndefined();
      expect(bogus.blasReason).toMatch(/^STNAS_BLAS=\/nonexistent\/libopenblas\.so\.0 could not be used: /);
      expect(bogus.blasReason).not.toContain('\n');
      expect(hasBlasKernels('wasm')).toBe(false);
      const y = tf.matMul(tf.ones([2, 3]), tf.ones([3, 2]));
      expect(y).toBeAllclose([3, 3, 3, 3]);
    } finally {
      if (saved === undefined) delete process.env.STNAS_BLAS;
      else process.env.STNAS_BLAS = saved;
    }
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

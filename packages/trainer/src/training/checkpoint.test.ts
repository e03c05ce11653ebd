import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointError, readCheckpoint, writeCheckpoint } from './checkpoint';

const dirs: string[] = [];
function tmp() {
  const d = mkdtempSync(path.join(os.tmpdir(), 'stnas-ckpt-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('checkpoint files', () => {
  it('round-trips state and arrays bit for bit', () => {
    const f = path.join(tmp(), 'a.ckpt');
    const w = new Float32Array([1.5, -2.25, Math.PI, 1e-30, -0]);
    const m = new Float32Array([7]);
    const state = { step: 3, rng: [1, 2, 3], name: 'é', best: Infinity, low: -Infinity, loss: Number.NaN };
    writeCheckpoint(f, { state, arrays: { w: { shape: [5], data: w }, m: { shape: [1, 1], data: m } } });
    const c = readCheckpoint<typeof state>(f);
    expect(c.state).toEqual(state); // non-finite numbers survive (JSON alone would turn them into null)
    expect(c.state.best).toBe(Infinity);
    expect(Array.from(c.arrays.w!.data)).toEqual(Array.from(w));
    expect(Object.is(c.arrays.w!.data[4], -0)).toBe(true);
    expect(c.arrays.m!.shape).toEqual([1, 1]);
  });

  it('leaves no temp file and replaces the previous checkpoint', () => {
    const d = tmp();
    const f = path.join(d, 'a.ckpt');
    writeCheckpoint(f, { state: 1, arrays: {} });
    writeCheckpoint(f, { state: 2, arrays: {} });
    expect(readdirSync(d)).toEqual(['a.ckpt']);
    expect(readCheckpoint(f).state).toBe(2);
  });

  it('a truncated or foreign file gives an error naming the file', () => {
    const d = tmp();
    const f = path.join(d, 'a.ckpt');
    writeCheckpoint(f, { state: {}, arrays: { w: { shape: [100], data: new Float32Array(100) } } });
    const bytes = readFileSync(f);
    writeFileSync(f, bytes.subarray(0, bytes.length - 10));
    expect(() => readCheckpoint(f)).toThrow(CheckpointError);
    expect(() => readCheckpoint(f)).toThrow(/a\.ckpt is truncated \(array "w"\)/);
    writeFileSync(f, 'hello');
    expect(() => readCheckpoint(f)).toThrow(/a\.ckpt is not an stnas checkpoint/);
    expect(() => readCheckpoint(path.join(d, 'none.ckpt'))).toThrow(/none\.ckpt does not exist/);
  });

  it('rejects an array whose length does not match its shape', () => {
    const f = path.join(tmp(), 'a.ckpt');
    expect(() =>
      writeCheckpoint(f, { state: 0, arrays: { w: { shape: [2, 2], data: new Float32Array(3) } } }),
    ).toThrow(/"w" has 3 values but shape \[2,2\]/);
  });
});

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupWasmBackend, type WasmInfo } from './wasm-node';
import { wasmThreadsProblem, writeWorkerScript } from './wasm-threads';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const wasmNode = path.join(here, 'wasm-node.ts');
// The child runs from the repo root, where tfjs-core is not a direct dependency: pass its path.
const tfCore = createRequire(import.meta.url).resolve('@tensorflow/tfjs-core');
const cores = os.availableParallelism();

interface ChildResult {
  code: number | null;
  ms: number;
  stdout: string;
  stderr: string;
}

/** Runs `code` as `node -e` (in an async function; `.ts` imports go through tsx) and waits for it to exit by itself. */
function runNode(code: string, env: NodeJS.ProcessEnv = {}, limitMs = 45_000): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@stnas/source',
        '-e',
        `(async () => {${code}})().catch((e) => { console.error(e); process.exitCode = 1; });`,
      ],
      { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node -e did not exit within ${limitMs} ms (hanging workers?); stdout: ${stdout}`));
    }, limitMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, ms: Date.now() - t0, stdout, stderr });
    });
  });
}

// A [64,640]x[640,48] matMul of fixed inputs, printed as one JSON line, in a fresh process.
const matMulScript = (threads: number, workerDir?: string) => `
  const tf = await import(${JSON.stringify(tfCore)});
  const { setupWasmBackend } = await import(${JSON.stringify(wasmNode)});
  const info = await setupWasmBackend({ threads: ${threads}, workerDir: ${JSON.stringify(workerDir)} });
  const a = tf.tensor2d(Float32Array.from({ length: 64 * 640 }, (_, i) => Math.sin(i * 0.37)), [64, 640]);
  const b = tf.tensor2d(Float32Array.from({ length: 640 * 48 }, (_, i) => Math.cos(i * 0.11)), [640, 48]);
  const c = tf.matMul(a, b);
  console.log(JSON.stringify({ info, values: Array.from(c.dataSync()) }));
`;

function parseLast(stdout: string): { info: WasmInfo; values: number[] } {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}

describe('wasm threads in Node', () => {
  let info: WasmInfo;

  beforeAll(async () => {
    info = await setupWasmBackend();
  });
  afterAll(() => tf.setBackend('cpu'));

  it('runs threads > 1 when the machine has more than one core, with SIMD and no note', () => {
    expect(wasmThreadsProblem()).toBeUndefined();
    expect(info.simd).toBe(true);
    expect(info.threads).toBe(Math.min(cores, 8));
    if (cores > 1) {
      expect(info.threads).toBeGreaterThan(1);
      expect(info.note).toBeUndefined();
    }
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(cores > 1);
  });

  it('matMul equals the cpu backend within 1e-4', async () => {
    const a = tf.randomNormal([512, 320], 0, 1, 'float32', 7);
    const b = tf.randomNormal([320, 256], 0, 1, 'float32', 8);
    const aV = a.dataSync().slice();
    const bV = b.dataSync().slice();
    tf.dispose([a, b]);
    const run = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      return tf.tidy(() => tf.matMul(tf.tensor2d(aV, [512, 320]), tf.tensor2d(bV, [320, 256])).dataSync());
    };
    const onCpu = await run('cpu');
    const before = tf.memory().numTensors;
    const onWasm = await run('wasm');
    expect(tf.memory().numTensors).toBe(before);
    expect(onWasm).toBeAllclose(onCpu, { rtol: 1e-4, atol: 1e-4 });
  });

  it('a small conv-free net (loss and gradients) equals the cpu backend within 1e-4', async () => {
    const x = Float32Array.from({ length: 32 * 40 }, (_, i) => Math.sin(i * 0.7));
    const w1 = Float32Array.from({ length: 40 * 64 }, (_, i) => 0.1 * Math.cos(i * 0.3));
    const w2 = Float32Array.from({ length: 64 * 10 }, (_, i) => 0.1 * Math.sin(i * 0.9 + 1));
    const labels = Int32Array.from({ length: 32 }, (_, i) => (i * 7) % 10);
    const run = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const X = tf.tensor2d(x, [32, 40]);
        const Y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
        // Cross-entropy through logSumExp: tf.logSoftmax is a customGrad op that trips TF.js's
        // IS_TEST leak check on wasm (an identity copy counted as a leaked data id), threads or not.
        const loss = (p1: tf.Tensor, p2: tf.Tensor) => {
          const logits = tf.matMul(tf.relu(tf.matMul(X, p1)), p2);
          const logp = tf.sub(logits, tf.logSumExp(logits, 1, true));
          return tf.neg(tf.mean(tf.sum(tf.mul(Y, logp), 1)));
        };
        const { value, grads } = tf.valueAndGrads(loss)([
          tf.tensor2d(w1, [40, 64]),
          tf.tensor2d(w2, [64, 10]),
        ]);
        return [value.dataSync()[0]!, grads[0]!.dataSync(), grads[1]!.dataSync()] as const;
      });
    };
    const [lossCpu, g1Cpu, g2Cpu] = await run('cpu');
    const [lossWasm, g1Wasm, g2Wasm] = await run('wasm');
    // The loss of near-uniform softmax over 10 classes is close to ln 10: a check that it ran at all.
    expect(lossCpu).toBeGreaterThan(1.5);
    expect([lossWasm]).toBeAllclose([lossCpu], { rtol: 1e-4, atol: 1e-4 });
    expect(g1Wasm).toBeAllclose(g1Cpu, { rtol: 1e-4, atol: 1e-4 });
    expect(g2Wasm).toBeAllclose(g2Cpu, { rtol: 1e-4, atol: 1e-4 });
  });

  it('a second call keeps the started backend and says threads are fixed per process', async () => {
    const again = await setupWasmBackend({ threads: 1 });
    expect(tf.getBackend()).toBe('wasm');
    expect(again.threads).toBe(info.threads);
    if (info.threads !== 1) expect(again.note).toMatch(/threads are fixed per process/);
  });

  it('rejects a thread count that is not a positive integer, naming the argument', async () => {
    await expect(setupWasmBackend({ threads: 0 })).rejects.toThrow(
      /threads must be a positive integer, got 0/,
    );
  });

  it('writes the worker script once, content-addressed, and reuses it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stnas-worker-'));
    try {
      const a = writeWorkerScript(dir);
      const b = writeWorkerScript(dir);
      expect(a).toBe(b);
      expect(fs.readdirSync(dir)).toEqual([path.basename(a)]);
      expect(path.basename(a)).toMatch(/^stnas-tfjs-wasm-worker-[0-9a-f]{16}\.cjs$/);
      const text = fs.readFileSync(a, 'utf8');
      expect(text).toContain('tfjs-backend-wasm-threaded-simd.js');
      // A tampered file under the same name is rewritten, never run.
      fs.writeFileSync(a, 'process.exit(1)');
      expect(writeWorkerScript(dir)).toBe(a);
      expect(fs.readFileSync(a, 'utf8')).toBe(text);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('wasm threads in a fresh node -e process', () => {
  it('2 threads match 1 thread to 1e-6, and both processes exit by themselves', async () => {
    const [one, two] = await Promise.all([runNode(matMulScript(1)), runNode(matMulScript(2))]);
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    const r1 = parseLast(one.stdout);
    const r2 = parseLast(two.stdout);
    expect(r1.info.threads).toBe(1);
    expect(r2.info.threads).toBe(Math.min(2, cores));
    expect(r1.values).toHaveLength(64 * 48);
    // Closed form for one entry: sum_k sin(0.37 k) cos(0.11 (48 k)), computed in float64.
    let c00 = 0;
    for (let k = 0; k < 640; k++) c00 += Math.sin(k * 0.37) * Math.cos(k * 48 * 0.11);
    expect([r2.values[0]!]).toBeAllclose([c00], { rtol: 1e-4, atol: 1e-4 });
    expect(r2.values).toBeAllclose(r1.values, { rtol: 1e-6, atol: 1e-6 });
  });

  it('falls back to one thread with a one-line reason when the worker script cannot be written', async () => {
    // A regular file where the folder should be: the write fails with ENOTDIR.
    const notDir = path.join(os.tmpdir(), `stnas-not-a-dir-${process.pid}`);
    fs.writeFileSync(notDir, '');
    const r = await runNode(matMulScript(2, notDir)).finally(() => fs.rmSync(notDir, { force: true }));
    expect(r.code, r.stderr).toBe(0);
    const { info } = parseLast(r.stdout);
    expect(info.threads).toBe(1);
    expect(info.note).toMatch(/^wasm threads failed to start \(ENOTDIR.*\); running single-threaded$/);
    expect(info.note).not.toContain('\n');
  });
});

// Kill-and-resume on the real corpus with a tiny supernet, on the cpu backend: a run stopped at any
// point and restarted ends with the same weights as an uninterrupted one.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE } from '../data/feature-pipeline';
import { corpus, repoRoot, tinySupernet } from '../test-support';
import { readCheckpoint } from '../training/checkpoint';
import { runSearch } from './search';
import type { StageInputs } from './stage-common';
import { runWarmup } from './warmup';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'stnas-resume-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const config = tinySupernet(['tdnn-C1D1Nln', 'tdnn-C1D2Nln', 'tdnn-C2D1Nln']);

function inputs(out: string): StageInputs {
  return {
    config,
    data: path.join(corpus, 'train'),
    dev: path.join(corpus, 'dev'),
    lexicon: path.join(corpus, 'lang', 'lexicon.txt'),
    units: path.join(corpus, 'lang', 'units.txt'),
    out,
    seed: 3,
    batchSize: 2,
    lr: 1e-3,
    maxEpochs: 2,
    stepsPerEpoch: 2,
    checkpointEvery: 2,
    maxUtts: 12,
    pipeline: DEFAULT_PIPELINE,
    progress: { write: () => {}, isTTY: false },
    log: () => {},
  };
}

const arrays = (file: string) => {
  const c = readCheckpoint(file);
  return Object.fromEntries(Object.entries(c.arrays).map(([k, a]) => [k, Array.from(a.data)]));
};

describe('search resume (cpu backend)', () => {
  it('a search paused after every step and resumed matches an uninterrupted one bit for bit', async () => {
    const straight = path.join(tmp, 'straight');
    const paused = path.join(tmp, 'paused');
    const warm = { minEpochs: 1, minLossImprove: 0.5 };
    const search = { estimator: 'st' as const, heldOutRatio: 0.25, archLr: 5e-3 };
    await runWarmup({ ...inputs(straight), ...warm });
    const a = await runSearch({ ...inputs(straight), ...search });
    expect(a.loop.finished).toBe(true);

    await runWarmup({ ...inputs(paused), ...warm });
    let runs = 0;
    for (;;) {
      const r = await runSearch({ ...inputs(paused), ...search, maxStepsThisRun: 1 });
      runs++;
      if (runs > 10) throw new Error('the paused search never finished');
      if (r.loop.finished) {
        expect(r.derived!.ops).toEqual(a.derived!.ops);
        expect(r.derived!.probs).toEqual(a.derived!.probs);
        break;
      }
    }
    expect(runs).toBe(4); // 2 epochs of 2 steps, one step per run
    const x = arrays(path.join(straight, 'search', 'checkpoint.ckpt'));
    const y = arrays(path.join(paused, 'search', 'checkpoint.ckpt'));
    expect(Object.keys(y).sort()).toEqual(Object.keys(x).sort());
    expect(Object.keys(x).some((k) => k.startsWith('adam/arch/'))).toBe(true);
    for (const k of Object.keys(x)) expect(y[k], k).toEqual(x[k]);
    // p moved away from uniform: the architecture step did something.
    expect(Math.max(...a.derived!.probs.flat().map((p) => Math.abs(p - 1 / 3)))).toBeGreaterThan(1e-4);
    // One p line per step, and identical logs.
    const log = (d: string) => readFileSync(path.join(d, 'search', 'steps.jsonl'), 'utf8');
    expect(log(paused)).toBe(log(straight));
    expect(log(straight).trim().split('\n')).toHaveLength(4);
  });
});

describe('SIGKILL and rerun of the stnas command (cpu backend)', () => {
  const cli = path.join(repoRoot, 'packages', 'trainer', 'src', 'cli.ts');
  const cfg = path.join(tmp, 'config.json');
  writeFileSync(cfg, JSON.stringify(config));
  const args = (out: string) => [
    '--conditions=@stnas/source',
    '--import',
    'tsx',
    cli,
    '--backend',
    'cpu',
    'warmup',
    '--config',
    cfg,
    '--data',
    path.join(corpus, 'train'),
    '--dev',
    path.join(corpus, 'dev'),
    '--out',
    out,
    '--batch-size',
    '2',
    '--steps-per-epoch',
    '4',
    '--max-epochs',
    '2',
    '--min-epochs',
    '1',
    '--checkpoint-every',
    '1',
    '--seed',
    '5',
    '--max-utts',
    '24',
  ];
  const run = (out: string, killWhen?: () => boolean) =>
    new Promise<{ code: number | null; killed: boolean; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, args(out), {
        cwd: repoRoot,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      let killed = false;
      child.stderr.on('data', (d) => (stderr += d));
      const timer = killWhen
        ? setInterval(() => {
            if (!killed && killWhen()) {
              killed = true;
              child.kill('SIGKILL');
            }
          }, 20)
        : undefined;
      child.on('exit', (code) => {
        if (timer) clearInterval(timer);
        resolve({ code, killed, stderr });
      });
    });

  it('ends with the same weights, Adam moments and history as an uninterrupted run', async () => {
    const a = path.join(tmp, 'cli-straight');
    const b = path.join(tmp, 'cli-killed');
    const [ra, rb] = await Promise.all([
      run(a),
      run(b, () => {
        // Kill mid-epoch 2: after its first mid-epoch checkpoint has been written.
        const h = path.join(b, 'warmup', 'history.json');
        if (!existsSync(h)) return false;
        const steps = path.join(b, 'warmup', 'steps.jsonl');
        return existsSync(steps) && readCheckpointStep(path.join(b, 'warmup', 'checkpoint.ckpt')) >= 5;
      }),
    ]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.killed, rb.stderr).toBe(true);
    const rc = await run(b);
    expect(rc.code, rc.stderr).toBe(0);
    const x = arrays(path.join(a, 'warmup', 'checkpoint.ckpt'));
    const y = arrays(path.join(b, 'warmup', 'checkpoint.ckpt'));
    for (const k of Object.keys(x)) expect(y[k], k).toEqual(x[k]);
    expect(arrays(path.join(b, 'warmup', 'best.ckpt'))).toEqual(arrays(path.join(a, 'warmup', 'best.ckpt')));
    const hist = (d: string) =>
      JSON.parse(readFileSync(path.join(d, 'warmup', 'history.json'), 'utf8')).history.map(
        (e: { devLoss: number; trainLoss: number }) => [e.devLoss, e.trainLoss],
      );
    expect(hist(b)).toEqual(hist(a));
  }, 120_000);
});

function readCheckpointStep(file: string): number {
  try {
    return (readCheckpoint<{ loop: { step: number } }>(file).state.loop.step as number) ?? 0;
  } catch {
    return 0;
  }
}

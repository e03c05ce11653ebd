import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Job, Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs, skipWithout } from '../../../../test/system-tools';
import { main } from '../cli/main';
import { capture, tinySupernet } from '../test-support';
import { jobIds } from './job-graph';
import { cliCommand } from './job-process';
import { jobDir, jobEvents } from './job-store';
import { QUEUE_NAME, runQueueWorker } from './queue-worker';
import { parseQueueUrl, redisClient } from './redis-url';
import { freePort, REDIS, startRedis, type TestRedis } from './test-redis';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'stnas-experiment-'));
/** A tiny plan: one search, one random architecture, one baseline; a few steps per stage. */
const tinyPlan = {
  config: tinySupernet(['tdnn-C1D1Nln', 'tdnn-C2D1Nln']),
  search: { seeds: [1] },
  random: { count: 1, seed: 3 },
  baselines: [{ name: 'small', ops: 'tdnn-C1D1Nln' }],
  retrain: { seeds: [0] },
  sizes: {
    batchSize: 4,
    maxUtts: 12,
    stepsPerEpoch: 4,
    checkpointEvery: 1,
    warmupEpochs: 2,
    warmupMinEpochs: 1,
    searchEpochs: 1,
    retrainEpochs: 1,
    retrainMinEpochs: 1,
  },
  bootstrap: { samples: 200, seed: 0 },
  attempts: 2,
};
const planFile = path.join(tmp, 'plan.json');
writeFileSync(planFile, JSON.stringify(tinyPlan));

const noRedis = skipWithout(REDIS);

/** The tiny plan on the local pool, run once and shared by the tests that compare with it. */
const poolDir = path.join(tmp, 'pool');
let poolPromise: Promise<number> | undefined;
function poolRun(): Promise<number> {
  poolPromise ??= (async () => {
    const pool = capture();
    const code = await main(
      ['--backend', 'cpu', 'experiment', '--plan', planFile, '--out', poolDir, '--jobs', '2'],
      pool.io,
    );
    expect(pool.err.filter((l) => l.startsWith('stnas:'))).toEqual([]);
    return code;
  })();
  return poolPromise;
}

describe('stnas experiment on the local pool (no Redis)', () => {
  it('runs every job once in its own directory, writes the results, and a rerun repeats no job', async () => {
    expect(await poolRun()).toBe(0);
    const ids = readdirSync(path.join(poolDir, 'jobs')).sort();
    expect(ids.filter((i) => i.startsWith('warmup-') || i.startsWith('search-'))).toEqual([
      'search-st-s1',
      'warmup-s1',
    ]);
    for (const id of ids) {
      expect(readFileSync(jobEvents(poolDir, id), 'utf8').trim().split('\n'), id).toEqual([
        expect.stringMatching(/^start /),
        expect.stringMatching(/^finish /),
      ]);
    }
    const results = JSON.parse(readFileSync(path.join(poolDir, 'results.json'), 'utf8'));
    expect(results.groups.map((g: { name: string; runs: unknown[] }) => [g.name, g.runs.length])).toEqual([
      ['searched-st', 1],
      ['random', 1],
      ['small', 1],
    ]);
    for (const g of results.groups) expect(g.runs[0].testPer).toBeGreaterThan(0);
    expect(readFileSync(path.join(poolDir, 'report.html'), 'utf8')).toContain('<circle class="run searched"');
    const again = capture();
    expect(
      await main(['--backend', 'cpu', 'experiment', '--plan', planFile, '--out', poolDir], again.io),
    ).toBe(0);
    for (const id of ids)
      expect(readFileSync(jobEvents(poolDir, id), 'utf8').trim().split('\n'), id).toHaveLength(2);
    expect(again.out.join('\n')).toContain('searched-st  searched     1');
  }, 600_000);
});

describe('stnas experiment: bad plans and unreachable Redis', () => {
  it('names the field and the value of a malformed plan (exit 4, one line)', async () => {
    const bad = path.join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...tinyPlan, sizes: { batchSize: 'big' } }));
    const c = capture();
    expect(await main(['experiment', '--plan', bad, '--out', path.join(tmp, 'bad')], c.io)).toBe(4);
    expect(c.err).toEqual([`stnas: ${bad}: sizes.batchSize must be an integer in [1, 4096], got "big"`]);
  });

  it('prints one line without the password and exits 5 when nothing listens at the URL', async () => {
    const port = await freePort();
    for (const cmd of [
      ['experiment', '--plan', planFile, '--out', path.join(tmp, 'unreachable')],
      ['worker'],
    ]) {
      const c = capture();
      expect(await main([...cmd, '--queue', `redis://:hunter2@127.0.0.1:${port}`], c.io)).toBe(5);
      expect(c.err).toEqual([
        `stnas: cannot reach Redis at redis://:***@127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
      ]);
    }
  });
});

describe.skipIf(noRedis)(`stnas experiment on BullMQ with a real Redis ${needs(REDIS, 'BullMQ')}`, () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('refuses a wrong password with one line that does not show it (exit 5)', async () => {
    const c = capture();
    const url = `redis://:not-the-password@127.0.0.1:${redis.port}`;
    expect(await main(['worker', '--queue', url], c.io)).toBe(5);
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(
      new RegExp(
        `^stnas: cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port}: authentication failed \\(WRONGPASS`,
      ),
    );
    expect(c.err[0]).not.toContain('not-the-password');
  });

  it('fails a job whose directory the worker cannot see, naming the directory', async () => {
    const target = parseQueueUrl(redis.url);
    const stop = new AbortController();
    const lines: string[] = [];
    const worker = runQueueWorker({
      queue: target,
      concurrency: 1,
      backend: 'cpu',
      log: (l) => lines.push(l),
      signal: stop.signal,
    });
    const client = redisClient(target);
    const queue = new Queue(QUEUE_NAME, { connection: client });
    try {
      const job = await queue.add(
        'warmup',
        { dir: '/nonexistent/stnas-exp', id: 'warmup-s1', root: 'test' },
        { jobId: 'unreachable-dir-test', attempts: 1 },
      );
      let state = '';
      for (let k = 0; k < 200 && state !== 'failed'; k++) {
        await new Promise((r) => setTimeout(r, 100));
        state = await job.getState();
      }
      expect(state).toBe('failed');
      const failed = await Job.fromId(queue, job.id!);
      expect(failed!.failedReason).toBe(
        `experiment dir /nonexistent/stnas-exp is not reachable from worker ${os.hostname()} (every worker must see DIR at the same path)`,
      );
      expect(
        lines.some((l) =>
          l.includes('job warmup-s1 failed: experiment dir /nonexistent/stnas-exp is not reachable'),
        ),
      ).toBe(true);
    } finally {
      stop.abort();
      await worker;
      await queue.close();
      client.disconnect();
    }
  });

  it('names a job that failed every attempt with its log and exits 1, on the pool and on the queue', async () => {
    // num_classes 40 against the corpus's 41 units: every warmup attempt fails while loading data.
    const broken = path.join(tmp, 'broken.json');
    const config = tinySupernet(['tdnn-C1D1Nln']);
    writeFileSync(
      broken,
      JSON.stringify({
        ...tinyPlan,
        config: { ...config, net_configs: { ...config.net_configs, num_classes: 40 } },
      }),
    );
    const pool = capture();
    const poolDir = path.join(tmp, 'broken-pool');
    expect(await main(['--backend', 'cpu', 'experiment', '--plan', broken, '--out', poolDir], pool.io)).toBe(
      1,
    );
    const log = path.join(jobDir(poolDir, 'warmup-s1'), 'log.txt');
    // The baseline (and the random draw, the same op everywhere) retrains beside the warmup and fails too.
    const retrain = jobIds.retrain(['tdnn-C1D1Nln', 'tdnn-C1D1Nln'], 0);
    const rlog = (d: string) => path.join(jobDir(d, retrain), 'log.txt');
    expect(pool.err.filter((l) => l.startsWith('stnas:'))).toEqual([
      `stnas: 2 jobs failed: ${retrain} (exit code 4 after 2 attempts; log ${rlog(poolDir)}); warmup-s1 (exit code 4 after 2 attempts; log ${log})`,
    ]);
    expect(readFileSync(log, 'utf8')).toMatch(
      /attempt 2 of job warmup-s1[\s\S]*has 41 units \(blank included\), but the config's net_configs.num_classes is 40/,
    );

    const stop = new AbortController();
    const worker = runQueueWorker({
      queue: parseQueueUrl(redis.url),
      concurrency: 1,
      backend: 'cpu',
      stalledMs: 2000,
      log: () => {},
      signal: stop.signal,
    });
    try {
      const q = capture();
      const queueDir = path.join(tmp, 'broken-queue');
      expect(
        await main(['experiment', '--plan', broken, '--out', queueDir, '--queue', redis.url], q.io),
      ).toBe(1);
      const qlog = path.join(jobDir(queueDir, 'warmup-s1'), 'log.txt');
      const failed = q.err.filter((l) => l.startsWith('stnas:'));
      // The first job to fail for good fails the root; the other may still be retrying then.
      expect(failed).toHaveLength(1);
      expect([
        `stnas: 1 job failed: warmup-s1 (job warmup-s1 exited with code 4 after 2 attempts; log ${qlog})`,
        `stnas: 1 job failed: ${retrain} (job ${retrain} exited with code 4 after 2 attempts; log ${rlog(queueDir)})`,
        `stnas: 2 jobs failed: ${retrain} (job ${retrain} exited with code 4 after 2 attempts; log ${rlog(queueDir)}); warmup-s1 (job warmup-s1 exited with code 4 after 2 attempts; log ${qlog})`,
      ]).toContain(failed[0]);
    } finally {
      stop.abort();
      await worker;
    }
  }, 300_000);

  it('survives kill -9 of a worker mid-job: every job finishes once, results equal the local pool bit for bit', async () => {
    // The same plan on the local pool (cpu backend), as the test without Redis ran it.
    expect(await poolRun()).toBe(0);

    // Two workers as separate processes; the one that takes the warmup dies by kill -9 once the
    // warmup has written a checkpoint.
    const queueDir = path.join(tmp, 'queue');
    const workers: { child: ChildProcess; err: string; code?: number | null }[] = [];
    const exits: Promise<void>[] = [];
    for (let w = 0; w < 2; w++) {
      const child = spawn(
        process.execPath,
        [...cliCommand(), '--backend', 'cpu', 'worker', '--queue', redis.url, '--stalled-ms', '2000'],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      const rec: (typeof workers)[number] = { child, err: '' };
      child.stderr!.on('data', (d) => {
        rec.err += d;
      });
      exits.push(
        new Promise((resolve) =>
          child.once('exit', (code) => {
            rec.code = code;
            resolve();
          }),
        ),
      );
      workers.push(rec);
    }
    let killed: (typeof workers)[number] | undefined;
    const checkpoint = path.join(jobDir(queueDir, 'warmup-s1'), 'warmup', 'checkpoint.ckpt');
    const watcher = setInterval(() => {
      if (killed) return;
      const holder = workers.find((w) => w.err.includes('job warmup-s1 (attempt 1)'));
      if (
        holder &&
        existsSync(checkpoint) &&
        !existsSync(path.join(jobDir(queueDir, 'warmup-s1'), 'result.json'))
      ) {
        killed = holder;
        holder.child.kill('SIGKILL');
      }
    }, 20);
    const q = capture();
    let code: number;
    try {
      code = await main(
        ['--backend', 'cpu', 'experiment', '--plan', planFile, '--out', queueDir, '--queue', redis.url],
        q.io,
      );
    } finally {
      clearInterval(watcher);
      for (const w of workers)
        if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
      await Promise.all(exits);
    }
    expect(q.err.filter((l) => l.startsWith('stnas:'))).toEqual([]);
    expect(code).toBe(0);
    expect(killed).toBeDefined();
    expect(killed!.child.signalCode).toBe('SIGKILL');
    const survivor = workers.find((w) => w !== killed)!;
    expect(survivor.code).toBe(0);
    expect(survivor.err).toContain('job warmup-s1 finished');

    // Every job of the experiment finished exactly once; the killed one started twice and its
    // second run resumed from the checkpoint. The killed worker's job process died with it.
    const ids = readdirSync(path.join(queueDir, 'jobs')).sort();
    expect(ids).toEqual(readdirSync(path.join(poolDir, 'jobs')).sort());
    expect(ids.length).toBeGreaterThanOrEqual(6);
    for (const id of ids) {
      const events = readFileSync(jobEvents(queueDir, id), 'utf8').trim().split('\n');
      expect(
        events.filter((e) => e.startsWith('finish')),
        id,
      ).toHaveLength(1);
      if (id !== 'warmup-s1') expect(events, id).toHaveLength(2);
    }
    const warmup = readFileSync(jobEvents(queueDir, 'warmup-s1'), 'utf8').trim().split('\n');
    expect(warmup).toHaveLength(3);
    expect(warmup[2]).toMatch(/^finish .* resumed$/);
    const firstPid = Number(/pid (\d+)/.exec(warmup[0]!)![1]);
    expect(() => process.kill(firstPid, 0)).toThrow();

    // Same results, bit for bit, and the same weights of every retrained model.
    expect(readFileSync(path.join(queueDir, 'results.json'), 'utf8')).toBe(
      readFileSync(path.join(poolDir, 'results.json'), 'utf8'),
    );
    for (const id of ids.filter((i) => i.startsWith('retrain-'))) {
      const weights = (d: string) => readFileSync(path.join(jobDir(d, id), 'retrain', 'weights.ckpt'));
      expect(weights(queueDir).equals(weights(poolDir)), id).toBe(true);
    }
    const results = JSON.parse(readFileSync(path.join(queueDir, 'results.json'), 'utf8'));
    expect(results.groups.map((g: { name: string }) => g.name)).toEqual(['searched-st', 'random', 'small']);
    expect(results.comparisons).toHaveLength(2);
  }, 900_000);
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs, OPENSSL, skipWithout } from '../../../../test/system-tools';
import { main } from '../cli/main';
import { capture, tinySupernet } from '../test-support';
import { cliCommand } from './job-process';
import { makeTestCa, type TestCa } from './test-ca';
import { REDIS, startRedis, type TestRedis } from './test-redis';

// Node reads NODE_EXTRA_CA_CERTS once, when a process starts: every command that connects to the
// TLS Redis here is a child process given it in its environment, as a user would run it.

const PASSWORD = 'tls-secret-5c1e';
/** The smallest plan: two candidates, one search, one baseline, one step per stage on 4 utterances. */
const tinyPlan = {
  config: tinySupernet(['tdnn-C1D1Nln', 'tdnn-C2D1Nln']),
  // A quarter of 4 utterances: one held out for the architecture steps.
  search: { seeds: [1], heldOutRatio: 0.25 },
  baselines: [{ name: 'small', ops: 'tdnn-C1D1Nln' }],
  retrain: { seeds: [0] },
  sizes: {
    batchSize: 4,
    maxUtts: 4,
    stepsPerEpoch: 1,
    checkpointEvery: 1,
    warmupEpochs: 1,
    warmupMinEpochs: 0,
    searchEpochs: 1,
    retrainEpochs: 1,
    retrainMinEpochs: 0,
  },
  bootstrap: { samples: 100, seed: 0 },
  attempts: 1,
};

interface Cli {
  code: number | null;
  out: string;
  err: string;
}

/** Runs `stnas ARGS` as a child process with `env` added to this one's; `ready` resolves on a stderr line. */
function cli(args: string[], env: NodeJS.ProcessEnv, ready?: RegExp) {
  const child = spawn(process.execPath, [...cliCommand(), '--backend', 'cpu', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const r: Cli = { code: null, out: '', err: '' };
  let seen: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    seen = resolve;
  });
  child.stdout.on('data', (d) => {
    r.out += d;
  });
  child.stderr.on('data', (d) => {
    r.err += d;
    if (ready?.test(r.err)) seen();
  });
  const done = new Promise<Cli>((resolve) =>
    child.once('exit', (code) => {
      r.code = code;
      seen();
      resolve(r);
    }),
  );
  return { child, started, done };
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

const missing = [REDIS, OPENSSL].find((t) => skipWithout(t));

describe.skipIf(missing !== undefined)(
  `stnas experiment on a TLS Redis ${needs(missing ?? REDIS, 'TLS Redis')}`,
  () => {
    let tmp: string;
    let ca: TestCa;
    let redis: TestRedis;
    beforeAll(async () => {
      tmp = mkdtempSync(path.join(os.tmpdir(), 'stnas-tls-'));
      ca = makeTestCa(tmp);
      redis = await startRedis(PASSWORD, ca);
    });
    afterAll(async () => {
      await redis?.stop();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    it('runs a plan through rediss://:password@127.0.0.1 with the CA from NODE_EXTRA_CA_CERTS, never printing the password', async () => {
      expect(redis.url).toBe(`rediss://:${PASSWORD}@127.0.0.1:${redis.port}`);
      const planFile = path.join(tmp, 'plan.json');
      writeFileSync(planFile, JSON.stringify(tinyPlan));
      const dir = path.join(tmp, 'exp');
      const env = { NODE_EXTRA_CA_CERTS: ca.ca };
      const worker = cli(['worker', '--queue', redis.url, '--stalled-ms', '5000'], env, /waiting for jobs/);
      let experiment: Cli;
      try {
        await worker.started;
        experiment = await cli(['experiment', '--plan', planFile, '--out', dir, '--queue', redis.url], env)
          .done;
      } finally {
        worker.child.kill('SIGTERM');
      }
      const w = await worker.done;
      expect(experiment.err.split('\n').filter((l) => l.startsWith('stnas:'))).toEqual([]);
      expect(experiment.code).toBe(0);
      expect(w.code).toBe(0);
      const display = `rediss://:***@127.0.0.1:${redis.port}`;
      expect(w.err).toContain(`waiting for jobs on ${display}`);
      for (const id of ['warmup-s1', 'search-st-s1']) expect(w.err).toContain(`job ${id} finished`);
      const results = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8'));
      expect(results.groups.map((g: { name: string; runs: unknown[] }) => [g.name, g.runs.length])).toEqual([
        ['searched-st', 1],
        ['small', 1],
      ]);
      expect(results.groups[0].runs[0].testPer).toBeGreaterThan(0);
      expect(experiment.out).toContain(`results: ${path.join(dir, 'results.json')}`);
      // Neither the commands' output nor any file they or the jobs wrote holds the password.
      for (const text of [experiment.out, experiment.err, w.out, w.err]) expect(text).not.toContain(PASSWORD);
      const written = filesUnder(dir);
      expect(written.length).toBeGreaterThan(10);
      for (const f of written) expect(readFileSync(f).includes(PASSWORD), f).toBe(false);
    }, 300_000);

    it('fails with one line naming the untrusted certificate and exit 5 with the wrong CA or none', async () => {
      const why = `stnas: cannot reach Redis at rediss://:***@127.0.0.1:${redis.port}: TLS certificate not trusted`;
      const hint = 'trust a private CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem';
      // A worker that trusts an unrelated CA.
      const wrong = await cli(['worker', '--queue', redis.url], { NODE_EXTRA_CA_CERTS: ca.otherCa }).done;
      expect(wrong.code).toBe(5);
      expect(wrong.out).toBe('');
      expect(wrong.err).toBe(`${why} (self-signed certificate in certificate chain); ${hint}\n`);
      // The experiment in this process, which trusts Node's CAs only.
      const c = capture();
      const planFile = path.join(tmp, 'plan-untrusted.json');
      writeFileSync(planFile, JSON.stringify(tinyPlan));
      const code = await main(
        ['experiment', '--plan', planFile, '--out', path.join(tmp, 'untrusted'), '--queue', redis.url],
        c.io,
      );
      expect(code).toBe(5);
      expect(c.err).toEqual([`${why} (self-signed certificate in certificate chain); ${hint}`]);
      expect(c.out).toEqual([]);
    }, 60_000);
  },
);

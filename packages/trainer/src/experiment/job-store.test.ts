import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../../../../test/temp-dir';
import { jobDir, lockJob } from './job-store';

describe('lockJob', () => {
  it('keeps a second process of this host out of a running job, and takes over a dead one’s lock', () => {
    const dir = testTempDir('stnas-lock-');
    const file = path.join(jobDir(dir, 'warmup-s1'), 'lock');
    const release = lockJob(dir, 'warmup-s1');
    expect(readFileSync(file, 'utf8')).toBe(`${os.hostname()} ${process.pid}`);
    // A lock held by a live process of this host (the test's parent stands in for it).
    writeFileSync(file, `${os.hostname()} ${process.ppid}`);
    expect(() => lockJob(dir, 'warmup-s1')).toThrow(
      `job warmup-s1 is already running in process ${process.ppid} on ${os.hostname()} (${file})`,
    );
    // A lock left by a process that is gone (pid 2^22 + 1 is above Linux's pid_max default).
    writeFileSync(file, `${os.hostname()} ${2 ** 22 + 1}`);
    const again = lockJob(dir, 'warmup-s1');
    expect(readFileSync(file, 'utf8')).toBe(`${os.hostname()} ${process.pid}`);
    again();
    expect(() => readFileSync(file)).toThrow();
    release();
  });
});

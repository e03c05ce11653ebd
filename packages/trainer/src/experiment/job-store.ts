import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../errors';
import { readJson } from '../files';
import { writeFileAtomic } from '../training/checkpoint';
import type { ExperimentPlan } from './plan';

/** One job of an experiment; its directory is `DIR/jobs/<id>`. */
export type JobSpec =
  | { kind: 'warmup'; id: string; seed: number }
  | { kind: 'search'; id: string; seed: number; estimator: string; warmup: string }
  | { kind: 'retrain'; id: string; seed: number; ops: string[] }
  | { kind: 'decode'; id: string; retrain: string };

/** The stages of an experiment, in order: every job of a stage depends only on earlier stages. */
export const STAGES = ['warmup', 'search', 'retrain', 'decode'] as const;
/** One stage of an experiment. */
export type Stage = (typeof STAGES)[number];

/** A job's directory (its stage code's run directory, log and result). */
export const jobDir = (dir: string, id: string) => path.join(dir, 'jobs', id);
/** A job's log: the stdout and stderr of every attempt, appended. */
export const jobLog = (dir: string, id: string) => path.join(jobDir(dir, id), 'log.txt');
/** A job's result; its presence marks the job finished, so reruns skip it. */
export const jobResultFile = (dir: string, id: string) => path.join(jobDir(dir, id), 'result.json');
/** A job's events: one `start`/`finish` line per attempt, with host and pid (how tests count runs). */
export const jobEvents = (dir: string, id: string) => path.join(jobDir(dir, id), 'events.log');

/** Whether a job finished (its result was written). */
export function isJobDone(dir: string, id: string): boolean {
  return existsSync(jobResultFile(dir, id));
}

/** Reads a finished job's result. */
export function readJobResult<T>(dir: string, id: string): T {
  return readJson<T>(jobResultFile(dir, id), `result of job ${id}`);
}

/** Writes a job's result atomically (the job counts as finished from then on). */
export function writeJobResult(dir: string, id: string, result: unknown): void {
  mkdirSync(jobDir(dir, id), { recursive: true });
  writeFileAtomic(jobResultFile(dir, id), `${JSON.stringify(result, null, 2)}\n`);
}

/** Appends one line to a job's events log. */
export function logJobEvent(dir: string, id: string, event: string): void {
  mkdirSync(jobDir(dir, id), { recursive: true });
  appendFileSync(jobEvents(dir, id), `${event}\n`);
}

/** Writes a job's spec (job.json), once: a different spec under the same id is a bug or a changed plan. */
export function writeJobSpec(dir: string, spec: JobSpec): void {
  const file = path.join(jobDir(dir, spec.id), 'job.json');
  const text = `${JSON.stringify(spec, null, 2)}\n`;
  if (existsSync(file)) {
    if (readFileSync(file, 'utf8') !== text)
      throw new InputError(`${file} holds a different job than the plan makes: use a new --out`);
    return;
  }
  mkdirSync(jobDir(dir, spec.id), { recursive: true });
  writeFileAtomic(file, text);
}

/** Reads a job's spec. */
export function readJobSpec(dir: string, id: string): JobSpec {
  return readJson<JobSpec>(path.join(jobDir(dir, id), 'job.json'), `job ${id}`);
}

/** The plan an experiment directory is pinned to. */
export const planFile = (dir: string) => path.join(dir, 'plan.json');

/**
 * Pins the experiment directory to a plan (`DIR/plan.json`, every path absolute). A rerun with the
 * same plan continues; a different plan is refused, since finished jobs would not match it.
 */
export function pinPlan(dir: string, plan: ExperimentPlan): void {
  const { file: _file, ...rest } = plan;
  const text = `${JSON.stringify(rest, null, 2)}\n`;
  const file = planFile(dir);
  if (existsSync(file)) {
    if (readFileSync(file, 'utf8') !== text)
      throw new InputError(`${file} holds a different plan: rerun with the same plan, or use a new --out`);
    return;
  }
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(file, text);
}

/** Reads the plan an experiment directory is pinned to. */
export function readPinnedPlan(dir: string): ExperimentPlan {
  return { file: '', ...readJson<Omit<ExperimentPlan, 'file'>>(planFile(dir), 'experiment plan') };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes a job's lock (`DIR/jobs/<id>/lock`: host and pid), so that two experiments started on one
 * DIR by mistake never train in one directory. A lock left by a process that is gone, or by another
 * host (whose job BullMQ handed over after its worker died), is taken over. Returns the release.
 */
export function lockJob(dir: string, id: string): () => void {
  mkdirSync(jobDir(dir, id), { recursive: true });
  const file = path.join(jobDir(dir, id), 'lock');
  const me = `${os.hostname()} ${process.pid}`;
  for (let tries = 0; ; tries++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, me);
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 0) throw err;
      const [host, pid] = readFileSync(file, 'utf8').split(' ');
      if (host === os.hostname() && alive(Number(pid)))
        throw new InputError(`job ${id} is already running in process ${pid} on ${host} (${file})`);
      rmSync(file, { force: true });
    }
  }
}

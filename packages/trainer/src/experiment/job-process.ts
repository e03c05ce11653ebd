import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BackendRequest } from '../backend/select-backend';
import { jobDir, jobLog } from './job-store';

/** How a job ended in its child process. */
export interface JobExit {
  id: string;
  /** The exit code (null when killed by a signal). */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The job's log file (every attempt appended). */
  log: string;
}

/**
 * The node arguments that run the `stnas` CLI: the built `dist/cli.js` beside this bundle, or,
 * from sources (tests), `src/cli.ts` through tsx with the workspace's source condition.
 */
export function cliCommand(): string[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const built = path.join(here, 'cli.js');
  if (existsSync(built)) return [built];
  const source = path.resolve(here, '..', 'cli.ts');
  if (!existsSync(source)) throw new Error(`cannot find the stnas CLI beside ${here}`);
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return ['--conditions=@stnas/source', '--import', tsx, source];
}

const SETPRIV = '/usr/bin/setpriv';

/**
 * Runs one experiment job as a child process (`stnas experiment-job --out DIR --id ID`), its
 * stdout and stderr appended to the job's log. On Linux the child gets SIGKILL when this process
 * dies (setpriv --pdeathsig), so a worker killed with kill -9 leaves no job running that another
 * worker would then race in the same directory.
 */
export function spawnJob(
  dir: string,
  id: string,
  backend: BackendRequest,
  opts: { attempt?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<JobExit> {
  mkdirSync(jobDir(dir, id), { recursive: true });
  const log = jobLog(dir, id);
  const fd = openSync(log, 'a');
  writeSync(fd, `== ${new Date().toISOString()} attempt ${opts.attempt ?? 1} of job ${id}\n`);
  const args = [...cliCommand(), '--backend', backend, 'experiment-job', '--out', dir, '--id', id];
  const [cmd, argv] = existsSync(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', 'KILL', process.execPath, ...args]]
    : [process.execPath, args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', fd, fd], env: opts.env ?? process.env });
    child.on('error', (err) => {
      closeSync(fd);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      closeSync(fd);
      resolve({ id, code, signal, log });
    });
  });
}

// Helpers for the results scripts: run the `stnas` CLI from source (tsx, the @stnas/source
// condition) and describe the machine and its load for the record.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Node arguments that run TypeScript sources of the workspace. */
export const tsx = ['--conditions=@stnas/source', '--import', 'tsx'];
const cli = path.join(root, 'packages', 'trainer', 'src', 'cli.ts');

/** The 1-minute load average, two decimals. */
export const load = () => os.loadavg()[0].toFixed(2);

/** One line naming the cores, memory, Node and platform. */
export const machine = () =>
  `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown cpu'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;

/** Runs `stnas argv` (with --json among them) and returns the JSON of its last stdout line; throws with stderr printed on failure. */
export function stnasJson(argv, what) {
  const r = spawnSync(process.execPath, [...tsx, cli, ...argv], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) {
    console.error(r.stderr);
    throw new Error(`${what} failed (exit ${r.status})`);
  }
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

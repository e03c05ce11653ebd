// Helpers shared by the trainer's tests (not exported from the package).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo } from './cli';

/** The repository root, from this file's location. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The bundled corpus folder. */
export const corpus = path.join(repoRoot, 'packages', 'corpus', 'data');

/** A CliIo capturing stdout and stderr lines. */
export function capture(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (l) => out.push(l), err: (l) => err.push(l), progress: { write: () => {}, isTTY: false } },
    out,
    err,
  };
}

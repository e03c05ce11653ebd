// Paths to the shared Kaldi fixtures, resolved from the repo root (tests only; not exported).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readArk } from './read-ark.ts';
import type { ArkEntry } from './types.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** /work/shared/fixtures/kaldi as seen from the repo root. */
export const FIX = path.resolve(root, '../shared/fixtures/kaldi');
/** Files written by Kaldi binaries. */
export const KALDI = path.join(FIX, 'kaldi');
/** Files from kaldi-io-for-python. */
export const KIO = path.join(FIX, 'kaldi-io-for-python');

/** Reads every entry of an ark. */
export async function readAll(p: string, opts: Parameters<typeof readArk>[1] = {}): Promise<ArkEntry[]> {
  const out: ArkEntry[] = [];
  for await (const e of readArk(p, opts)) out.push(e);
  return out;
}

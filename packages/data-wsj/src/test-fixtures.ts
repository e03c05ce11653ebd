// Paths to the repo's Kaldi fixtures (fixtures/kaldi at the repo root; tests only, not exported).

import { fixturePath } from '../../../test/fixtures.ts';
import { readArk } from './read-ark.ts';
import type { ArkEntry } from './types.ts';

/** The repo's `fixtures/kaldi` folder. */
export const FIX = fixturePath('kaldi');
/** Files written by Kaldi binaries. */
export const KALDI = fixturePath('kaldi', 'kaldi');
/** Files from kaldi-io-for-python. */
export const KIO = fixturePath('kaldi', 'kaldi-io-for-python');

/** Reads every entry of an ark. */
export async function readAll(p: string, opts: Parameters<typeof readArk>[1] = {}): Promise<ArkEntry[]> {
  const out: ArkEntry[] = [];
  for await (const e of readArk(p, opts)) out.push(e);
  return out;
}

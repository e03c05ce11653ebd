// Where the repository's test fixtures live: `fixtures/` at the repo root (provenance in the
// README of each folder). Tests, benchmarks and scripts resolve fixture paths through here.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The root `fixtures/` folder. */
export const fixturesDir = path.join(repoRoot, 'fixtures');

/** A path inside `fixtures/`, e.g. `fixturePath('kaldi', 'kaldi', 'features', 'test.wav')`. */
export function fixturePath(...parts: string[]): string {
  return path.join(fixturesDir, ...parts);
}

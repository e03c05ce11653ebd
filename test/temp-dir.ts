// Test support: temporary directories that go away with the test that made them, so test runs
// leave nothing in /tmp (pass or fail).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';

/**
 * A new directory `<os.tmpdir()>/<prefix>XXXXXX`, removed with its contents when the running test
 * finishes, whether it passed or failed. Call it inside a test (not in `beforeAll`, whose
 * directories `afterAll` removes).
 */
export function testTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

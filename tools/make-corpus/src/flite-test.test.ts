import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadDataDir } from '@stnas/data-wsj';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLITE, needs, skipWithout } from '../../../test/system-tools';
import { makeFliteTest } from './flite-test';

// flite is a Debian package (apt-get install flite; .ci/run installs it). Without it these tests are
// reported as skipped on a developer machine (scripts/test.sh says so), and fail under CI.
let corpus: string;

beforeAll(async () => {
  corpus = await mkdtemp(path.join(os.tmpdir(), 'stnas-flite-'));
  await mkdir(path.join(corpus, 'test'));
  await writeFile(
    path.join(corpus, 'test', 'text'),
    'te01-001 PRICES ROSE IN JUNE\nte01-002 THE CITY WILL WIN\nte02-001 PLEASE PAINT THE HOUSE\n',
  );
});
afterAll(async () => {
  await rm(corpus, { recursive: true, force: true });
});

describe.skipIf(skipWithout(FLITE))(`makeFliteTest ${needs(FLITE, 'flite test-set')}`, () => {
  it('speaks each test sentence once, dealing them to the voices, as a loadable 40-dim data dir', async () => {
    const s = await makeFliteTest({ corpus, voices: ['slt', 'kal16'] });
    expect([s.utterances, s.speakers]).toEqual([3, 2]);
    const dir = await loadDataDir(path.join(corpus, 'test_flite'), { requireCmvn: true });
    try {
      expect(dir.utts).toEqual(['flite_kal16-te01-002', 'flite_slt-te01-001', 'flite_slt-te02-001']);
      expect(dir.text!.get('flite_kal16-te01-002')).toEqual(['THE', 'CITY', 'WILL', 'WIN']);
      const m = await dir.feats.getMatrix('flite_slt-te01-001');
      // about a second of speech at 100 frames per second
      expect(m.cols).toBe(40);
      expect(m.rows).toBeGreaterThan(60);
      expect(m.rows).toBeLessThan(400);
    } finally {
      await dir.feats.close();
      await dir.cmvn?.close();
    }
  });

  it('names a voice flite does not have', async () => {
    await expect(makeFliteTest({ corpus, voices: ['nosuchvoice'] })).rejects.toThrow(
      /voice nosuchvoice is not in \/usr\/bin\/flite -lv/,
    );
  });
});

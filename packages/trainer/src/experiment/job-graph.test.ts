import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobIds, plannedArchitectures, sampleRandomArchitectures, stageJobs } from './job-graph';
import { jobDir } from './job-store';
import { parsePlan } from './plan';

const C11 = 'tdnn-C1D1Nln';
const C22 = 'tdnn-C2D2Nln';
const plan = parsePlan(
  JSON.stringify({
    search: { seeds: [1, 2], estimators: ['st', 'gdas'] },
    random: { count: 3, seed: 5 },
    baselines: [
      { name: 'small', ops: C11 },
      { name: 'large', ops: C22 },
    ],
    retrain: { seeds: [0, 1] },
  }),
  '/plans/p.json',
);

describe('the job graph', () => {
  it('draws random architectures from the space, the same ones for the same seed', () => {
    const a = sampleRandomArchitectures(plan, 50, 5);
    expect(a).toEqual(sampleRandomArchitectures(plan, 50, 5));
    expect(a).not.toEqual(sampleRandomArchitectures(plan, 50, 6));
    const ops = new Set(a.flat());
    expect([...ops].sort()).toEqual(['tdnn-C1D1Nln', 'tdnn-C1D2Nln', 'tdnn-C2D1Nln', 'tdnn-C2D2Nln']);
    for (const arch of a) expect(arch).toHaveLength(4);
  });

  it('makes a warmup per seed and a search per seed and estimator, from that seed’s warmup', () => {
    expect(stageJobs(plan, '/x', 'warmup').map((j) => j.id)).toEqual(['warmup-s1', 'warmup-s2']);
    expect(stageJobs(plan, '/x', 'search')).toEqual([
      { kind: 'search', id: 'search-st-s1', seed: 1, estimator: 'st', warmup: 'warmup-s1' },
      { kind: 'search', id: 'search-st-s2', seed: 2, estimator: 'st', warmup: 'warmup-s2' },
      { kind: 'search', id: 'search-gdas-s1', seed: 1, estimator: 'gdas', warmup: 'warmup-s1' },
      { kind: 'search', id: 'search-gdas-s2', seed: 2, estimator: 'gdas', warmup: 'warmup-s2' },
    ]);
  });

  it('retrains identical architectures once per seed, whichever groups they belong to', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'stnas-graph-'));
    const searched: Record<string, string[]> = {
      'search-st-s1': Array(4).fill(C22),
      'search-st-s2': [C11, C22, C11, C22],
      'search-gdas-s1': [C11, C22, C11, C22],
      'search-gdas-s2': Array(4).fill(C11),
    };
    for (const [id, ops] of Object.entries(searched)) {
      mkdirSync(path.join(jobDir(dir, id), 'search'), { recursive: true });
      writeFileSync(path.join(jobDir(dir, id), 'search', 'architecture.json'), JSON.stringify({ ops }));
    }
    const archs = plannedArchitectures(plan, dir);
    expect(archs.map((a) => a.group)).toEqual([
      ...Array(2).fill('searched-st'),
      ...Array(2).fill('searched-gdas'),
      ...Array(3).fill('random'),
      'small',
      'large',
    ]);
    const distinct = new Set(archs.map((a) => a.ops.join(' '))).size;
    // 9 architectures: large = st-s1, small = gdas-s2, st-s2 = gdas-s1, so at most 6 distinct.
    expect(distinct).toBeLessThanOrEqual(6);
    const retrains = stageJobs(plan, dir, 'retrain');
    expect(retrains).toHaveLength(distinct * 2);
    expect(new Set(retrains.map((j) => j.id)).size).toBe(retrains.length);
    expect(retrains.filter((j) => j.id === jobIds.retrain(Array(4).fill(C22), 1))).toHaveLength(1);
    const decodes = stageJobs(plan, dir, 'decode');
    expect(decodes.map((d) => (d.kind === 'decode' ? d.retrain : ''))).toEqual(retrains.map((r) => r.id));
  });
});

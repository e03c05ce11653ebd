import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../../../../test/temp-dir';
import { jobIds, plannedArchitectures, sampleRandomArchitectures, stageJobs } from './job-graph';
import { jobDir } from './job-store';
import { parsePlan } from './plan';
import { SPACE } from './test-space';

const C11 = 'tdnn-C1D1Nln';
const C22 = 'tdnn-C2D2Nln';
const plan = parsePlan(
  JSON.stringify({
    config: SPACE,
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

  it('makes a warmup per seed and a search per seed and estimator; the fixed architectures train beside them', () => {
    const fixed = [...sampleRandomArchitectures(plan, 3, 5), Array(4).fill(C11), Array(4).fill(C22)];
    const distinctFixed = new Set(fixed.map((ops) => ops.join(' '))).size;
    const warmupStage = stageJobs(plan, '/x', 'warmup');
    expect(warmupStage.slice(0, 2).map((j) => j.id)).toEqual(['warmup-s1', 'warmup-s2']);
    expect(warmupStage.slice(2).every((j) => j.kind === 'retrain')).toBe(true);
    expect(warmupStage).toHaveLength(2 + distinctFixed * 2);
    expect(warmupStage.map((j) => j.id)).toContain(jobIds.retrain(Array(4).fill(C22), 1));
    const searchStage = stageJobs(plan, '/x', 'search');
    expect(searchStage.slice(0, 4)).toEqual([
      { kind: 'search', id: 'search-st-s1', seed: 1, estimator: 'st', warmup: 'warmup-s1' },
      { kind: 'search', id: 'search-st-s2', seed: 2, estimator: 'st', warmup: 'warmup-s2' },
      { kind: 'search', id: 'search-gdas-s1', seed: 1, estimator: 'gdas', warmup: 'warmup-s1' },
      { kind: 'search', id: 'search-gdas-s2', seed: 2, estimator: 'gdas', warmup: 'warmup-s2' },
    ]);
    expect(searchStage.slice(4).map((d) => (d.kind === 'decode' ? d.retrain : d.kind))).toEqual(
      warmupStage.slice(2).map((r) => r.id),
    );
  });

  it('retrains identical architectures once per seed, whichever groups they belong to', () => {
    const dir = testTempDir('stnas-graph-');
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
    // Every distinct architecture is retrained once per seed, over the warmup and retrain stages.
    const retrains = [...stageJobs(plan, dir, 'warmup'), ...stageJobs(plan, dir, 'retrain')].filter(
      (j) => j.kind === 'retrain',
    );
    expect(retrains).toHaveLength(distinct * 2);
    expect(new Set(retrains.map((j) => j.id)).size).toBe(retrains.length);
    // st-s1 found the `large` baseline and gdas-s2 the `small` one: retrained with the baselines.
    const late = stageJobs(plan, dir, 'retrain').map((j) => j.id);
    expect(late).not.toContain(jobIds.retrain(Array(4).fill(C22), 0));
    expect(late).not.toContain(jobIds.retrain(Array(4).fill(C11), 1));
    expect(late).toContain(jobIds.retrain([C11, C22, C11, C22], 0));
    const decodes = [...stageJobs(plan, dir, 'search'), ...stageJobs(plan, dir, 'decode')].filter(
      (j) => j.kind === 'decode',
    );
    expect(decodes.map((d) => (d.kind === 'decode' ? d.retrain : ''))).toEqual(retrains.map((r) => r.id));
  });
});

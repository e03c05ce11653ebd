import { createHash } from 'node:crypto';
import path from 'node:path';
import { expandConfig } from '@stnas/search-space';
import { readJson } from '../files';
import { randomArchitecture } from '../search-health/random-architecture';
import type { DerivedArchitecture } from '../stages/search';
import { type JobSpec, jobDir, type Stage } from './job-store';
import type { ExperimentPlan } from './plan';

/** How a group of runs came about. */
export type GroupKind = 'searched' | 'random' | 'baseline';

/** One architecture of an experiment and the group it belongs to. */
export interface PlannedArchitecture {
  /** `searched-<estimator>`, `random` or the baseline's name. */
  group: string;
  kind: GroupKind;
  ops: string[];
  /** The search seed of a searched architecture. */
  searchSeed?: number;
}

/** A short stable key of an op list (retrain job ids: identical architectures share one). */
export function architectureKey(ops: readonly string[]): string {
  return createHash('sha256').update(ops.join(' ')).digest('hex').slice(0, 12);
}

/**
 * `count` architectures drawn uniformly from the space, one op per node: draw k is
 * `randomArchitecture` with seed `seed + k` (the same plan always draws the same ones). Draws may
 * repeat; each is still one run of the random group.
 */
export function sampleRandomArchitectures(plan: ExperimentPlan, count: number, seed: number): string[][] {
  const candidates = expandConfig(plan.config).candidates.map((block) => block[0]!);
  return Array.from({ length: count }, (_, k) => randomArchitecture(candidates, seed + k));
}

/** Job ids, from the plan's seeds, estimators and architectures. */
export const jobIds = {
  warmup: (seed: number) => `warmup-s${seed}`,
  search: (estimator: string, seed: number) => `search-${estimator}-s${seed}`,
  retrain: (ops: readonly string[], seed: number) => `retrain-${architectureKey(ops)}-r${seed}`,
  decode: (ops: readonly string[], seed: number) => `decode-${architectureKey(ops)}-r${seed}`,
};

/**
 * Every architecture of the plan with its group: the searched one of each (estimator, search seed),
 * read from the search jobs' `architecture.json` (so only after the search stage), then the random
 * draws and the baselines.
 */
export function plannedArchitectures(plan: ExperimentPlan, dir: string): PlannedArchitecture[] {
  const out: PlannedArchitecture[] = [];
  for (const estimator of plan.search.estimators) {
    for (const seed of plan.search.seeds) {
      const file = path.join(jobDir(dir, jobIds.search(estimator, seed)), 'search', 'architecture.json');
      const derived = readJson<DerivedArchitecture>(file, 'searched architecture');
      out.push({ group: `searched-${estimator}`, kind: 'searched', ops: derived.ops, searchSeed: seed });
    }
  }
  for (const ops of sampleRandomArchitectures(plan, plan.random.count, plan.random.seed))
    out.push({ group: 'random', kind: 'random', ops });
  for (const b of plan.baselines) out.push({ group: b.name, kind: 'baseline', ops: b.ops });
  return out;
}

/**
 * The jobs of one stage: a warmup per search seed; a search per seed and estimator (from that
 * seed's warmup); a retrain per distinct architecture and retrain seed (identical architectures,
 * whichever groups they belong to, are retrained once per seed); a decode per retrain. The retrain
 * and decode stages read the search results, so they are planned once the search stage finished.
 */
export function stageJobs(plan: ExperimentPlan, dir: string, stage: Stage): JobSpec[] {
  switch (stage) {
    case 'warmup':
      return plan.search.seeds.map((seed) => ({ kind: 'warmup', id: jobIds.warmup(seed), seed }));
    case 'search':
      return plan.search.estimators.flatMap((estimator) =>
        plan.search.seeds.map((seed) => ({
          kind: 'search' as const,
          id: jobIds.search(estimator, seed),
          seed,
          estimator,
          warmup: jobIds.warmup(seed),
        })),
      );
    case 'retrain':
    case 'decode': {
      const seen = new Map<string, JobSpec>();
      for (const a of plannedArchitectures(plan, dir)) {
        for (const seed of plan.retrain.seeds) {
          const retrain = jobIds.retrain(a.ops, seed);
          const spec: JobSpec =
            stage === 'retrain'
              ? { kind: 'retrain', id: retrain, seed, ops: a.ops }
              : { kind: 'decode', id: jobIds.decode(a.ops, seed), retrain };
          if (!seen.has(spec.id)) seen.set(spec.id, spec);
        }
      }
      return [...seen.values()];
    }
  }
}

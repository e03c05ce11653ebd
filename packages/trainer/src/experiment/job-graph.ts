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

/** The random draws and the baselines: the architectures known before any search ran. */
function fixedArchitectures(plan: ExperimentPlan): PlannedArchitecture[] {
  return [
    ...sampleRandomArchitectures(plan, plan.random.count, plan.random.seed).map((ops) => ({
      group: 'random',
      kind: 'random' as const,
      ops,
    })),
    ...plan.baselines.map((b) => ({ group: b.name, kind: 'baseline' as const, ops: b.ops })),
  ];
}

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
  return [...out, ...fixedArchitectures(plan)];
}

/** One retrain (or its decode) per distinct architecture and retrain seed. */
function modelJobs(
  plan: ExperimentPlan,
  archs: readonly PlannedArchitecture[],
  kind: 'retrain' | 'decode',
): JobSpec[] {
  const seen = new Map<string, JobSpec>();
  for (const a of archs) {
    for (const seed of plan.retrain.seeds) {
      const retrain = jobIds.retrain(a.ops, seed);
      const spec: JobSpec =
        kind === 'retrain'
          ? { kind: 'retrain', id: retrain, seed, ops: a.ops }
          : { kind: 'decode', id: jobIds.decode(a.ops, seed), retrain };
      if (!seen.has(spec.id)) seen.set(spec.id, spec);
    }
  }
  return [...seen.values()];
}

/**
 * The jobs of one stage. The dependencies: a search needs its seed's warmup, a retrain of a
 * searched architecture needs that search, a decode its retrain; the random and baseline
 * architectures need nothing, so their retrains run beside the warmups and their decodes beside
 * the searches, which keeps every process of a pool busy:
 *
 * - `warmup`: a warmup per search seed, and the retrains of the random and baseline architectures;
 * - `search`: a search per seed and estimator, and the decodes of those retrains;
 * - `retrain`: the retrains of the searched architectures not retrained already;
 * - `decode`: their decodes.
 *
 * Identical architectures, whichever groups they belong to, are retrained once per seed (job ids
 * are made from the ops). The last two stages read the search results, so they are planned once the
 * search stage finished.
 */
export function stageJobs(plan: ExperimentPlan, dir: string, stage: Stage): JobSpec[] {
  const fixed = fixedArchitectures(plan);
  switch (stage) {
    case 'warmup':
      return [
        ...plan.search.seeds.map((seed) => ({ kind: 'warmup' as const, id: jobIds.warmup(seed), seed })),
        ...modelJobs(plan, fixed, 'retrain'),
      ];
    case 'search':
      return [
        ...plan.search.estimators.flatMap((estimator) =>
          plan.search.seeds.map((seed) => ({
            kind: 'search' as const,
            id: jobIds.search(estimator, seed),
            seed,
            estimator,
            warmup: jobIds.warmup(seed),
          })),
        ),
        ...modelJobs(plan, fixed, 'decode'),
      ];
    case 'retrain':
    case 'decode': {
      const earlier = new Set(modelJobs(plan, fixed, stage).map((j) => j.id));
      return modelJobs(plan, plannedArchitectures(plan, dir), stage).filter((j) => !earlier.has(j.id));
    }
  }
}

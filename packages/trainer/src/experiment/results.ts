import path from 'node:path';
import { writeFileAtomic } from '../training/checkpoint';
import { type GroupKind, jobIds, plannedArchitectures } from './job-graph';
import { readJobResult } from './job-store';
import { pairedBootstrap } from './paired-bootstrap';
import type { ExperimentPlan } from './plan';
import type { DecodeJobResult, RetrainJobResult } from './run-job';

/** One retrained and decoded architecture of a group. */
export interface ExperimentRun {
  /** The ops, one per block, space-separated. */
  architecture: string;
  /** The retrain seed. */
  seed: number;
  params: number;
  testPer: number;
  /** Test WER of the word-LM search (plans with `decode.wordLm`). */
  testWer?: number;
  /** The search seed (searched groups only). */
  searchSeed?: number;
}

/** A group of runs: the searched architectures of one estimator, the random ones, or one baseline. */
export interface ExperimentGroup {
  name: string;
  kind: GroupKind;
  runs: ExperimentRun[];
  meanPer: number;
  /** Sample standard deviation over the runs (0 for one run). */
  sdPer: number;
  /** Mean and sample sd of test WER (plans with `decode.wordLm`). */
  meanWer?: number;
  sdWer?: number;
  meanParams: number;
}

/** A searched group against another group: paired bootstrap on the test utterances. */
export interface ExperimentComparison {
  a: string;
  b: string;
  /** PER of a minus PER of b, with per-utterance errors averaged over each group's runs. */
  perDiff: number;
  ci95: [number, number];
  /** Share of bootstrap draws where a has fewer errors than b. */
  pImprove: number;
}

/** `DIR/results.json`. */
export interface ExperimentResults {
  groups: ExperimentGroup[];
  comparisons: ExperimentComparison[];
  testUtterances: number;
  bootstrap: { samples: number; seed: number };
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sd = (xs: readonly number[]) => {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};

/**
 * Collects the finished jobs of an experiment into groups (mean and sd of test PER over runs) and
 * compares every searched group with every other group by a seeded paired bootstrap over test
 * utterances. Deterministic: the same finished jobs give the same bytes.
 */
export function collectResults(plan: ExperimentPlan, dir: string): ExperimentResults {
  const groups = new Map<string, ExperimentGroup>();
  const uttErrors = new Map<string, DecodeJobResult[]>();
  for (const a of plannedArchitectures(plan, dir)) {
    let g = groups.get(a.group);
    if (!g) {
      g = { name: a.group, kind: a.kind, runs: [], meanPer: 0, sdPer: 0, meanParams: 0 };
      groups.set(a.group, g);
      uttErrors.set(a.group, []);
    }
    for (const seed of plan.retrain.seeds) {
      const r = readJobResult<RetrainJobResult>(dir, jobIds.retrain(a.ops, seed));
      const d = readJobResult<DecodeJobResult>(dir, jobIds.decode(a.ops, seed));
      g.runs.push({
        architecture: a.ops.join(' '),
        seed,
        params: r.params,
        testPer: d.per,
        ...(d.wer === undefined ? {} : { testWer: d.wer }),
        ...(a.searchSeed === undefined ? {} : { searchSeed: a.searchSeed }),
      });
      uttErrors.get(a.group)!.push(d);
    }
  }
  for (const g of groups.values()) {
    g.meanPer = mean(g.runs.map((r) => r.testPer));
    g.sdPer = sd(g.runs.map((r) => r.testPer));
    g.meanParams = mean(g.runs.map((r) => r.params));
    const wers = g.runs.flatMap((r) => (r.testWer === undefined ? [] : [r.testWer]));
    if (wers.length === g.runs.length) {
      g.meanWer = mean(wers);
      g.sdWer = sd(wers);
    }
  }
  const first = [...uttErrors.values()][0]![0]!;
  const keys = first.utterances.map((u) => u.key);
  const refs = first.utterances.map((u) => u.refPhones);
  const perUtt = (name: string) => {
    const decodes = uttErrors.get(name)!;
    return keys.map((key, k) => {
      let s = 0;
      for (const d of decodes) {
        const u = d.utterances[k];
        if (u?.key !== key)
          throw new Error(`decode of ${d.retrain} lists utterance ${u?.key} where ${key} was expected`);
        s += u.errors;
      }
      return s / decodes.length;
    });
  };
  const comparisons: ExperimentComparison[] = [];
  for (const a of groups.values()) {
    if (a.kind !== 'searched') continue;
    for (const b of groups.values()) {
      if (b === a) continue;
      const c = pairedBootstrap(perUtt(a.name), perUtt(b.name), refs, plan.bootstrap);
      comparisons.push({ a: a.name, b: b.name, perDiff: c.diff, ci95: c.ci95, pImprove: c.pImprove });
    }
  }
  return {
    groups: [...groups.values()],
    comparisons,
    testUtterances: keys.length,
    bootstrap: plan.bootstrap,
  };
}

/** Writes `DIR/results.json` atomically; returns its path. */
export function writeResults(dir: string, results: ExperimentResults): string {
  const file = path.join(dir, 'results.json');
  writeFileAtomic(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const signed = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}`;

function table(head: string[], rows: string[][], right: number): string {
  const w = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) =>
    r.map((x, c) => (c >= right ? x.padStart(w[c]!) : x.padEnd(w[c]!))).join('  ');
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}

/** The groups and comparisons as the plain-text tables `stnas experiment` prints. */
export function formatExperimentResults(r: ExperimentResults): string {
  const wer = r.groups.some((g) => g.meanWer !== undefined);
  const groups = table(
    ['group', 'kind', 'runs', 'params', 'test PER (mean ± sd)', ...(wer ? ['test WER (mean ± sd)'] : [])],
    r.groups.map((g) => [
      g.name,
      g.kind,
      String(g.runs.length),
      Math.round(g.meanParams).toLocaleString('en-US'),
      `${pct(g.meanPer)} ± ${(g.sdPer * 100).toFixed(2)}`,
      ...(wer ? [g.meanWer === undefined ? '-' : `${pct(g.meanWer)} ± ${(g.sdWer! * 100).toFixed(2)}`] : []),
    ]),
    2,
  );
  const comps = table(
    ['searched', 'against', 'PER diff (points)', '95% CI', 'P(better)'],
    r.comparisons.map((c) => [
      c.a,
      c.b,
      signed(c.perDiff),
      `[${signed(c.ci95[0])}, ${signed(c.ci95[1])}]`,
      c.pImprove.toFixed(3),
    ]),
    2,
  );
  return `${groups}\n\n${comps}\n(paired bootstrap over ${r.testUtterances} test utterances, ${r.bootstrap.samples} draws, seed ${r.bootstrap.seed})`;
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expandConfig } from '@stnas/search-space';
import { InputError } from '../errors';
import { readJson } from '../files';
import { entropy } from '../search-health/node-entropy';
import { pathCheckLine } from '../search-health/path-table';
import type { DerivedArchitecture } from '../stages/search';
import { writeFileAtomic } from '../training/checkpoint';
import { historyPath, type StageHistory, stepLogPath } from '../training/train-loop';
import {
  type ArchProbHistory,
  type LossCurve,
  type ReportData,
  type ResultRow,
  renderReport,
} from './report-html';

/** The results file a pipeline or demo writes in its run directory. */
export interface RunResults {
  results: ResultRow[];
  /** The searched and retrained model's directory. */
  model?: string;
}

/** Reads the per-step p log of a search, keeping at most `maxPoints` evenly spaced samples. */
export function readArchProbs(
  searchDir: string,
  candidates: string[][],
  maxPoints = 300,
): ArchProbHistory | undefined {
  const file = stepLogPath(searchDir);
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const rows: { step: number; p: number[][]; h?: number[] }[] = [];
  for (const l of lines) {
    try {
      rows.push(JSON.parse(l));
    } catch {
      // A torn last line of a killed run: the resumed run rewrites it.
    }
  }
  if (rows.length === 0) return undefined;
  const stride = Math.max(1, Math.ceil(rows.length / maxPoints));
  const kept = rows.filter((_, i) => i % stride === 0 || i === rows.length - 1);
  return {
    steps: kept.map((r) => r.step),
    nodes: candidates.map((c, n) => ({
      candidates: c,
      probs: kept.map((r) => r.p[n] ?? []),
      // Logs written before the entropy was logged: computed from p.
      entropy: kept.map((r) => r.h?.[n] ?? entropy(r.p[n] ?? [])),
    })),
  };
}

const PIPELINE_ORDER = ['warmup', 'search', 'retrain'];

/** The stage folders of a run directory that hold a history: the pipeline's first, then the rest by name. */
export function stageDirs(out: string): string[] {
  const dirs = readdirSync(out, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(historyPath(path.join(out, e.name))))
    .map((e) => e.name);
  const rank = (d: string) =>
    PIPELINE_ORDER.includes(d) ? PIPELINE_ORDER.indexOf(d) : PIPELINE_ORDER.length;
  return dirs.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Collects what a run directory holds (any subset of stages) into report data. */
export function collectReport(out: string, title = 'stnas run report'): ReportData {
  if (!existsSync(out)) throw new InputError(`run directory ${out} does not exist`);
  const data: ReportData = {
    title,
    meta: [`run directory ${path.resolve(out)}`, `written ${new Date().toISOString()}`],
    curves: [],
  };
  const archFile = path.join(out, 'search', 'architecture.json');
  if (existsSync(archFile)) {
    const arch = readJson<DerivedArchitecture>(archFile, 'architecture');
    const nc = arch.config.net_configs;
    data.architecture = {
      ops: arch.ops,
      fixed:
        arch.config.net === 'MFRNet'
          ? [{ after: nc.pos_subsample ?? 0, op: 'tdnn-C1S3D1Nln (stride 3)' }]
          : [],
      inputDim: nc.idim,
      outputDim: nc.num_classes,
    };
    data.meta!.push(`estimator ${arch.estimator}`);
    if (arch.stopReason) data.meta!.push(`search stopped: ${arch.stopReason}`);
    if (arch.pathCheck) data.meta!.push(`path check: ${pathCheckLine(arch.pathCheck)}`);
    if (arch.warning) data.warnings = [arch.warning];
  }
  const supernet = path.join(out, 'config.json');
  if (existsSync(supernet)) {
    const cands = expandConfig(readJson(supernet, 'config')).candidates.flatMap((b) =>
      b.filter((n) => n.length > 1),
    );
    data.archProbs = readArchProbs(path.join(out, 'search'), cands);
  }
  for (const st of stageDirs(out)) {
    const hist = readJson<StageHistory>(historyPath(path.join(out, st)), 'history');
    data.curves!.push({
      name: `${st} dev`,
      stage: st,
      points: hist.history.map((e) => ({ x: e.epoch, y: e.devLoss })),
    } satisfies LossCurve);
    data.curves!.push({
      name: `${st} train`,
      stage: st,
      points: hist.history.map((e) => ({ x: e.epoch, y: e.trainLoss })),
    } satisfies LossCurve);
  }
  const results = path.join(out, 'results.json');
  if (existsSync(results)) data.results = readJson<RunResults>(results, 'results').results;
  return data;
}

/** Writes `out/report.html` from a run directory; returns its path. */
export function writeReport(out: string, title?: string): string {
  const file = path.join(out, 'report.html');
  writeFileAtomic(file, renderReport(collectReport(out, title)));
  return file;
}

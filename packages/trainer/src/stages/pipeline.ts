import { existsSync } from 'node:fs';
import path from 'node:path';
import type { StnasConfig } from '@stnas/search-space';
import { InputError } from '../errors';
import { ensureDir, readJson } from '../files';
import type { ResultRow } from '../report/report-html';
import { type RunResults, writeReport } from '../report/run-report';
import { writeFileAtomic } from '../training/checkpoint';
import { type DecodeResult, runDecode } from './decode';
import { runRetrain } from './retrain';
import { runSearch, type SearchInputs } from './search';
import { runWarmup, type WarmupInputs } from './warmup';
import { runWordDecode } from './word-decode';

/** Options of a whole pipeline run. */
export interface PipelineInputs extends WarmupInputs, SearchInputs {
  /** Test data dir decoded at the end. */
  test: string;
  /** Retrain's epochs before the lr may decay. */
  retrainMinEpochs: number;
  lrFloor: number;
  /** Beam width for the test decode (0 greedy; with `wordLm`, the word search's beam, default 16). */
  beam: number;
  /**
   * A word n-gram LM (ARPA): the test set is also decoded to words (WER), with the LM weight and
   * word bonus tuned on the dev set and recorded in OUT/word-lm-tuning.json.
   */
  wordLm?: string;
  /** Separate epoch caps per stage (default: maxEpochs). */
  epochs?: { warmup?: number; search?: number; retrain?: number };
}

/** What a pipeline produced. */
export interface PipelineResult {
  /** The searched, retrained model's directory. */
  modelDir: string;
  architecture: string;
  params: number;
  test: DecodeResult;
  report: string;
  /** "the search did not decide: ..." when some node ended below the decision threshold. */
  warning?: string;
}

/**
 * Checks that a run directory is used for one supernet config only: writes `out/config.json` on
 * the first run, and refuses a different config on a rerun (resuming would mix two searches).
 */
export function pinConfig(out: string, config: StnasConfig): void {
  ensureDir(out);
  const file = path.join(out, 'config.json');
  const text = `${JSON.stringify(config, null, 2)}\n`;
  if (existsSync(file)) {
    const old = JSON.stringify(readJson(file, 'run config'));
    if (old !== JSON.stringify(config)) {
      throw new InputError(
        `${file} holds a different supernet config: use a new --out for a new config (or delete the run)`,
      );
    }
    return;
  }
  writeFileAtomic(file, text);
}

/** Warmup, search, retrain of the derived architecture, decode of the test set, results and report. */
export async function runPipeline(i: PipelineInputs): Promise<PipelineResult> {
  pinConfig(i.out, i.config);
  const e = i.epochs ?? {};
  i.log(`== warmup (${path.join(i.out, 'warmup')})`);
  await runWarmup({ ...i, maxEpochs: e.warmup ?? i.maxEpochs });
  i.log(`== search with the ${i.estimator} estimator (${path.join(i.out, 'search')})`);
  const { derived, loop } = await runSearch({ ...i, maxEpochs: e.search ?? i.maxEpochs });
  if (!derived) throw new Error(`the search paused at step ${loop.state.step} before finishing`);
  i.log(`derived architecture: ${derived.ops.join(' ')}`);
  i.log(`== retrain (${path.join(i.out, 'retrain')})`);
  const r = await runRetrain({
    ...i,
    architecture: derived.config,
    name: 'retrain',
    minEpochs: i.retrainMinEpochs,
    maxEpochs: e.retrain ?? i.maxEpochs,
  });
  i.log(`== decode ${i.test}`);
  const decode = {
    model: r.modelDir,
    data: i.test,
    lexicon: i.lexicon,
    beam: i.beam,
    lmWeight: 0,
    maxUtts: i.maxUtts,
  };
  const words = i.wordLm
    ? await runWordDecode({
        ...decode,
        wordLm: i.wordLm,
        wordBeam: i.beam > 0 ? i.beam : 16,
        tuneDev: i.dev,
        tuningFile: path.join(i.out, 'word-lm-tuning.json'),
      })
    : undefined;
  const test = words ?? (await runDecode(decode));
  const row: ResultRow = {
    name: `stnas-search (${i.estimator})`,
    architecture: r.manifest.architecture,
    params: r.manifest.params,
    testPer: test.per,
    ...(words ? { testWer: words.wer } : {}),
  };
  const results: RunResults = { results: [row], model: path.resolve(r.modelDir) };
  writeFileAtomic(path.join(i.out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const report = writeReport(i.out, 'stnas pipeline');
  return {
    modelDir: r.modelDir,
    architecture: r.manifest.architecture,
    params: r.manifest.params,
    test,
    report,
    warning: derived.warning,
  };
}

import path from 'node:path';
import type { StnasConfig } from '@stnas/search-space';
import type { EstimatorName } from '@stnas/st-estimator';
import { type BackendRequest, selectBackend } from './backend/select-backend';
import type { CliIo } from './cli';
import { choice, existing, int, num, type OptionValues, str } from './cli-options';
import { UsageError } from './errors';
import type { ProgressSink } from './progress';
import type { StageInputs } from './stage-common';
import { readJson } from './stage-common';

function progressSink(io: CliIo): ProgressSink {
  return io.progress ?? { write: () => {}, isTTY: false };
}

function trainInputs(v: OptionValues, io: CliIo, defaults: { maxEpochs: number; batchSize: number }): StageInputs {
  const configFile = existing(str(v, 'config'), 'config', 'file');
  const config = readJson<StnasConfig>(configFile, 'config');
  const data = existing(str(v, 'data'), 'data');
  const dev = existing(str(v, 'dev'), 'dev');
  const out = str(v, 'out');
  const lang = path.join(path.dirname(path.resolve(data)), 'lang');
  return {
    config,
    data,
    dev,
    out,
    lexicon: existing(str(v, 'lexicon', path.join(lang, 'lexicon.txt')), 'lexicon', 'file'),
    units: existing(str(v, 'units', path.join(lang, 'units.txt')), 'units', 'file'),
    seed: int(v, 'seed', 0, 0, 2 ** 31 - 1),
    batchSize: int(v, 'batch-size', defaults.batchSize, 1, 4096),
    lr: num(v, 'lr', 1e-3, 0, 10, true),
    maxEpochs: int(v, 'max-epochs', defaults.maxEpochs, 1),
    stepsPerEpoch: v['steps-per-epoch'] === undefined ? undefined : int(v, 'steps-per-epoch', 0, 1),
    checkpointEvery: int(v, 'checkpoint-every', 50, 1),
    progress: progressSink(io),
    log: (line) => io.err(line),
  };
}

const ESTIMATORS: readonly EstimatorName[] = ['st', 'gdas', 'snas', 'darts', 'spos'];

/** Runs a training, decoding or report command after the CLI parsed its options; returns the exit code. */
export async function runCommand(command: string, v: OptionValues, backend: BackendRequest, io: CliIo): Promise<number> {
  const json = v['json'] === true;
  const emit = (obj: unknown, text: string) => io.out(json ? JSON.stringify(obj) : text);
  switch (command) {
    case 'report': {
      const out = existing(str(v, 'out'), 'out');
      const { writeReport } = await import('./run-report');
      const file = writeReport(out);
      emit({ report: file }, `wrote ${file}`);
      return 0;
    }
    case 'decode': {
      const model = existing(str(v, 'model'), 'model');
      const data = existing(str(v, 'data'), 'data');
      const lexicon = v['lexicon'] === undefined ? undefined : existing(str(v, 'lexicon'), 'lexicon', 'file');
      const lm = v['lm'] === undefined ? undefined : existing(str(v, 'lm'), 'lm', 'file');
      const beam = int(v, 'beam', 0, 0, 10000);
      const lmWeight = num(v, 'lm-weight', 0.5, 0, 100);
      const writeLogits = v['write-logits'] === undefined ? undefined : str(v, 'write-logits');
      await selectBackend(backend);
      const { runDecode } = await import('./decode');
      const r = await runDecode({ model, data, lexicon, beam, lm, lmWeight, writeLogits });
      emit(
        { per: r.per, utterances: r.utterances, oov: r.oov },
        `PER ${(r.per * 100).toFixed(2)}% (${r.errors} errors: ${r.substitutions} sub, ${r.deletions} del, ${r.insertions} ins, over ${r.refPhones} phones) on ${r.utterances} utterances; ${r.oov} OOV words`,
      );
      return 0;
    }
    case 'warmup': {
      const i = trainInputs(v, io, { maxEpochs: 1000, batchSize: 128 });
      const w = {
        ...i,
        minEpochs: int(v, 'min-epochs', 10, 0),
        minLossImprove: num(v, 'min-loss-improve', 0.5, 0),
      };
      await selectBackend(backend);
      const { pinConfig } = await import('./pipeline');
      pinConfig(i.out, i.config);
      const { runWarmup } = await import('./warmup');
      const r = await runWarmup(w);
      emit({ stage: 'warmup', epochs: r.state.schedule.epoch, best: r.state.schedule.best, dir: path.join(i.out, 'warmup') }, `warmup done: best dev loss ${r.state.schedule.best.toFixed(3)} at epoch ${r.state.schedule.bestEpoch}`);
      return 0;
    }
    case 'search': {
      const i = trainInputs(v, io, { maxEpochs: 1000, batchSize: 64 });
      const s = {
        ...i,
        estimator: choice(v, 'estimator', ESTIMATORS, 'st'),
        heldOutRatio: num(v, 'held-out-ratio', 0.1, 0, 1, true),
        archLr: num(v, 'arch-lr', 5e-3, 0, 10, true),
      };
      await selectBackend(backend);
      const { pinConfig } = await import('./pipeline');
      pinConfig(i.out, i.config);
      const { runSearch } = await import('./search');
      const r = await runSearch(s);
      emit({ stage: 'search', architecture: r.derived.ops, probs: r.derived.probs }, `search done: ${r.derived.ops.join(' ')}`);
      return 0;
    }
    case 'retrain': {
      const i = trainInputs(v, io, { maxEpochs: 1000, batchSize: 128 });
      const { configWithOps, runRetrain, searchedArchitecture } = await import('./retrain');
      const arch = v['arch'] === undefined ? searchedArchitecture(i.out) : configWithOps(i.config, str(v, 'arch').split(','));
      const name = str(v, 'name', 'retrain');
      if (!/^[\w.-]+$/.test(name)) throw new UsageError(`--name must be a plain folder name, got "${name}"`);
      const r0 = {
        ...i,
        architecture: arch,
        name,
        minEpochs: int(v, 'min-epochs', 10, 0),
        lrFloor: num(v, 'lr-floor', 1e-5, 0),
      };
      await selectBackend(backend);
      const r = await runRetrain(r0);
      emit({ stage: 'retrain', model: path.resolve(r.modelDir), architecture: r.manifest.architecture, params: r.manifest.params }, `retrain done: model in ${r.modelDir} (${r.manifest.params.toLocaleString('en-US')} params)`);
      return 0;
    }
    case 'pipeline': {
      const i = trainInputs(v, io, { maxEpochs: 1000, batchSize: 64 });
      const test = existing(str(v, 'test'), 'test');
      const p = {
        ...i,
        test,
        minEpochs: int(v, 'min-epochs', 10, 0),
        minLossImprove: 0.5,
        estimator: choice(v, 'estimator', ESTIMATORS, 'st'),
        heldOutRatio: num(v, 'held-out-ratio', 0.1, 0, 1, true),
        archLr: num(v, 'arch-lr', 5e-3, 0, 10, true),
        retrainMinEpochs: int(v, 'min-epochs', 10, 0),
        lrFloor: 1e-5,
        beam: int(v, 'beam', 0, 0, 10000),
      };
      await selectBackend(backend);
      const { runPipeline } = await import('./pipeline');
      const r = await runPipeline(p);
      emit(
        { results: [{ name: `stnas-search (${p.estimator})`, architecture: r.architecture, params: r.params, testPer: r.test.per }], model: path.resolve(r.modelDir) },
        `test PER ${(r.test.per * 100).toFixed(2)}% for ${r.architecture} (${r.params.toLocaleString('en-US')} params); report ${r.report}`,
      );
      return 0;
    }
    case 'demo': {
      const out = str(v, 'out', 'stnas-demo');
      const seed = int(v, 'seed', 0, 0, 2 ** 31 - 1);
      const quick = v['quick'] === true;
      const { corpusDir } = await import('./corpus-dir');
      const corpus = corpusDir();
      const sel = await selectBackend(backend);
      io.err(`backend ${sel.backend} (${sel.why})`);
      const { runDemo } = await import('./demo');
      const r = await runDemo({ corpus, out, seed, quick, progress: progressSink(io), log: (l) => io.err(l) });
      io.out(r.table);
      io.out(`report: ${r.report}`);
      if (json) io.out(JSON.stringify({ results: r.results, model: r.model }));
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

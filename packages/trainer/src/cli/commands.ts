import path from 'node:path';
import { expandConfig, type StnasConfig } from '@stnas/search-space';
import { type BackendRequest, selectBackend } from '../backend/select-backend';
import { parseSpeedFactors } from '../data/speed-perturb-train';
import { InputError, UsageError } from '../errors';
import { readJson } from '../files';
import { DEFAULT_DECISION_RULE, type DecisionRule } from '../search-health/decision-rule';
import { DEFAULT_PATH_CHECK, pathCheckLine } from '../search-health/path-table';
import type { DecodeResult } from '../stages/decode';
import { DEMO_ESTIMATOR, SEARCH_ESTIMATORS } from '../stages/search-estimators';
import { DEFAULT_BATCH_FRAMES, type StageInputs } from '../stages/stage-common';
import type { ProgressSink } from '../training/progress';
import { type LossKind, parseSpecAugmentConfig, type TrainingOptions } from '../training/training-options';
import type { CliIo } from './io';
import { choice, existing, int, num, type OptionValues, str } from './options';

function progressSink(io: CliIo): ProgressSink {
  return io.progress ?? { write: () => {}, isTTY: false };
}

function trainInputs(
  v: OptionValues,
  io: CliIo,
  defaults: { maxEpochs: number; batchSize: number },
): StageInputs {
  // Usage errors (exit 2) before input errors (exit 4): numbers and paths first, file contents last.
  const seed = int(v, 'seed', 0, 0, 2 ** 31 - 1);
  const batchSize = int(v, 'batch-size', defaults.batchSize, 1, 4096);
  const batchFramesOpt = int(v, 'batch-frames', DEFAULT_BATCH_FRAMES, 0);
  const batchFrames = batchFramesOpt === 0 ? undefined : batchFramesOpt;
  const lr = num(v, 'lr', 1e-3, 0, 10, true);
  const maxEpochs = int(v, 'max-epochs', defaults.maxEpochs, 1);
  const stepsPerEpoch = v['steps-per-epoch'] === undefined ? undefined : int(v, 'steps-per-epoch', 0, 1);
  const checkpointEvery = int(v, 'checkpoint-every', 50, 1);
  const maxUtts = v['max-utts'] === undefined ? undefined : int(v, 'max-utts', 0, 1);
  const training = trainingOptions(v);
  const configFile = existing(str(v, 'config'), 'config', 'file');
  const data = existing(str(v, 'data'), 'data');
  const dev = existing(str(v, 'dev'), 'dev');
  const out = str(v, 'out');
  const lang = path.join(path.dirname(path.resolve(data)), 'lang');
  const lexicon = existing(str(v, 'lexicon', path.join(lang, 'lexicon.txt')), 'lexicon', 'file');
  const units = existing(str(v, 'units', path.join(lang, 'units.txt')), 'units', 'file');
  return {
    get config() {
      return readConfig(configFile);
    },
    data,
    dev,
    out,
    lexicon,
    units,
    seed,
    batchSize,
    batchFrames,
    lr,
    maxEpochs,
    stepsPerEpoch,
    checkpointEvery,
    maxUtts,
    ...training,
    progress: progressSink(io),
    log: (line) => io.err(line),
  };
}

const LOSSES: readonly LossKind[] = ['ctc', 'ctc-crf'];

/** The loss and augmentation options of a training command (usage errors only; files read here). */
function trainingOptions(v: OptionValues): TrainingOptions {
  const loss = choice(v, 'loss', LOSSES, 'ctc');
  for (const o of ['crf-lambda', 'crf-order'])
    if (v[o] !== undefined && loss !== 'ctc-crf') throw new UsageError(`--${o} needs --loss ctc-crf`);
  const out: TrainingOptions = { loss };
  if (loss === 'ctc-crf') {
    out.crfLambda = num(v, 'crf-lambda', 0.01, 0, 1000);
    out.crfOrder = int(v, 'crf-order', 4, 1, 10);
  }
  if (v['spec-augment-config'] !== undefined)
    out.specAugment = parseSpecAugmentConfig(str(v, 'spec-augment-config'));
  else if (v['spec-augment'] === true) out.specAugment = {};
  if (v['speed-perturb'] !== undefined) out.speedPerturb = parseSpeedFactors(str(v, 'speed-perturb'));
  return out;
}

function readConfig(file: string): StnasConfig {
  const config = readJson<StnasConfig>(file, 'config');
  try {
    expandConfig(config);
  } catch (err) {
    throw new InputError(`${file}: ${(err as Error).message}`);
  }
  return config;
}

/** The search's stop rule from --stable-epochs and --decision-threshold. */
function decisionRule(v: OptionValues): DecisionRule {
  return {
    stableEpochs: int(v, 'stable-epochs', DEFAULT_DECISION_RULE.stableEpochs, 0, 1000),
    threshold: num(v, 'decision-threshold', DEFAULT_DECISION_RULE.threshold, 0, 1),
  };
}

/** Prints the search's "did not decide" warning, once, on stderr. */
function warnUndecided(io: CliIo, warning: string | undefined): void {
  if (warning) io.err(`warning: ${warning}`);
}

/** Runs a training, decoding or report command after the CLI parsed its options; returns the exit code. */
export async function runCommand(
  command: string,
  v: OptionValues,
  backend: BackendRequest,
  io: CliIo,
): Promise<number> {
  const json = v['json'] === true;
  const emit = (obj: unknown, text: string) => io.out(json ? JSON.stringify(obj) : text);
  switch (command) {
    case 'report': {
      const out = existing(str(v, 'out'), 'out');
      const { writeReport } = await import('../report/run-report');
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
      const maxUtts = v['max-utts'] === undefined ? undefined : int(v, 'max-utts', 0, 1);
      const perLine = (r: DecodeResult) =>
        `PER ${(r.per * 100).toFixed(2)}% (${r.errors} errors: ${r.substitutions} sub, ${r.deletions} del, ${r.insertions} ins, over ${r.refPhones} phones) on ${r.utterances} utterances; ${r.oov} OOV words`;
      if (v['word-lm'] !== undefined) {
        if (lm) throw new UsageError('--word-lm and --lm cannot be combined (--lm is a phone LM)');
        const wordLm = existing(str(v, 'word-lm'), 'word-lm', 'file');
        const wordBonus = num(v, 'word-bonus', 0, -100, 100);
        const tuneDev = v['tune-dev'] === undefined ? undefined : existing(str(v, 'tune-dev'), 'tune-dev');
        await selectBackend(backend);
        const { runWordDecode } = await import('../stages/word-decode');
        const r = await runWordDecode({
          model,
          data,
          lexicon,
          beam,
          lmWeight,
          writeLogits,
          maxUtts,
          wordLm,
          wordLmWeight: lmWeight,
          wordBonus,
          wordBeam: beam > 0 ? beam : 16,
          tuneDev,
          tuningFile: tuneDev ? path.join(model, 'word-lm-tuning.json') : undefined,
        });
        const s = r.wordSearch;
        emit(
          { per: r.per, wer: r.wer, utterances: r.utterances, oov: r.oov, ...s, devWer: r.tuning?.wer },
          `WER ${(r.wer * 100).toFixed(2)}% (${r.wordErrors} errors over ${r.refWords} words; LM weight ${s.lmWeight}, word bonus ${s.wordBonus}, beam ${s.beam}${r.tuning ? `, tuned on ${r.tuning.dev}: dev WER ${(r.tuning.wer * 100).toFixed(2)}%` : ''})\n${perLine(r)}`,
        );
        return 0;
      }
      if (v['word-bonus'] !== undefined || v['tune-dev'] !== undefined)
        throw new UsageError('--word-bonus and --tune-dev need --word-lm');
      await selectBackend(backend);
      const { runDecode } = await import('../stages/decode');
      const r = await runDecode({ model, data, lexicon, beam, lm, lmWeight, writeLogits, maxUtts });
      emit({ per: r.per, utterances: r.utterances, oov: r.oov }, perLine(r));
      return 0;
    }
    case 'lm': {
      const text = existing(str(v, 'text'), 'text', 'file');
      const order = int(v, 'order', 3, 1, 10);
      const out = str(v, 'out');
      const dev = v['dev'] === undefined ? undefined : existing(str(v, 'dev'), 'dev', 'file');
      const { buildWordLm } = await import('../stages/build-word-lm');
      const r = await buildWordLm({ text, order, out, dev });
      emit(
        r,
        `wrote ${r.out}: ${r.order}-gram from ${r.sentences} sentences (${r.ngrams.join(' / ')} n-grams)${r.devPerplexity === undefined ? '' : `; dev perplexity ${r.devPerplexity.toFixed(2)}`}`,
      );
      return 0;
    }
    case 'warmup': {
      const i = trainInputs(v, io, { maxEpochs: 1000, batchSize: 128 });
      const minEpochs = int(v, 'min-epochs', 10, 0);
      const minLossImprove = num(v, 'min-loss-improve', 0.5, 0);
      const w = { ...i, minEpochs, minLossImprove };
      await selectBackend(backend);
      const { pinConfig } = await import('../stages/pipeline');
      pinConfig(i.out, w.config);
      const { runWarmup } = await import('../stages/warmup');
      const r = await runWarmup(w);
      emit(
        {
          stage: 'warmup',
          epochs: r.state.schedule.epoch,
          best: r.state.schedule.best,
          dir: path.join(i.out, 'warmup'),
        },
        `warmup done: best dev loss ${r.state.schedule.best.toFixed(3)} at epoch ${r.state.schedule.bestEpoch}`,
      );
      return 0;
    }
    case 'search': {
      const i = trainInputs(v, io, { maxEpochs: 1000, batchSize: 64 });
      const estimator = choice(v, 'estimator', SEARCH_ESTIMATORS, 'st');
      const heldOutRatio = num(v, 'held-out-ratio', 0.1, 0, 1, true);
      const archLr = num(v, 'arch-lr', 5e-3, 0, 10, true);
      const decision = decisionRule(v);
      const pathCheck = int(v, 'path-check', DEFAULT_PATH_CHECK, 0, 1_000_000);
      const s = { ...i, estimator, heldOutRatio, archLr, decision, pathCheck };
      await selectBackend(backend);
      const { pinConfig } = await import('../stages/pipeline');
      pinConfig(i.out, s.config);
      const { runSearch } = await import('../stages/search');
      const r = await runSearch(s);
      const ops = r.derived?.ops ?? [];
      warnUndecided(io, r.derived?.warning);
      emit(
        {
          stage: 'search',
          architecture: ops,
          probs: r.derived?.probs ?? [],
          entropy: r.derived?.entropy ?? [],
          stopReason: r.derived?.stopReason,
          ...(r.derived?.pathCheck ? { pathCheck: r.derived.pathCheck } : {}),
        },
        `search done: ${ops.join(' ')} (${r.derived?.stopReason ?? 'paused'})`,
      );
      return 0;
    }
    case 'retrain': {
      const i = trainInputs(v, io, { maxEpochs: 1000, batchSize: 128 });
      const name = str(v, 'name', 'retrain');
      if (!/^[\w-][\w.-]*$/.test(name) || name.includes('..'))
        throw new UsageError(`--name must be a plain folder name, got "${name}"`);
      const minEpochs = int(v, 'min-epochs', 10, 0);
      const lrFloor = num(v, 'lr-floor', 1e-5, 0);
      const { configWithOps, runRetrain, searchedArchitecture } = await import('../stages/retrain');
      const config = i.config;
      const arch =
        v['arch'] === undefined
          ? searchedArchitecture(i.out)
          : configWithOps(config, str(v, 'arch').split(','));
      const r0 = { ...i, config, architecture: arch, name, minEpochs, lrFloor };
      await selectBackend(backend);
      const r = await runRetrain(r0);
      emit(
        {
          stage: 'retrain',
          model: path.resolve(r.modelDir),
          architecture: r.manifest.architecture,
          params: r.manifest.params,
        },
        `retrain done: model in ${r.modelDir} (${r.manifest.params.toLocaleString('en-US')} params)`,
      );
      return 0;
    }
    case 'pipeline': {
      const i = trainInputs(v, io, { maxEpochs: 1000, batchSize: 64 });
      const test = existing(str(v, 'test'), 'test');
      const minEpochs = int(v, 'min-epochs', 10, 0);
      const estimator = choice(v, 'estimator', SEARCH_ESTIMATORS, 'st');
      const heldOutRatio = num(v, 'held-out-ratio', 0.1, 0, 1, true);
      const archLr = num(v, 'arch-lr', 5e-3, 0, 10, true);
      const beam = int(v, 'beam', 0, 0, 10000);
      const searchEpochs = v['search-epochs'] === undefined ? undefined : int(v, 'search-epochs', 0, 1);
      const decision = decisionRule(v);
      const pathCheck = int(v, 'path-check', DEFAULT_PATH_CHECK, 0, 1_000_000);
      const wordLm = v['word-lm'] === undefined ? undefined : existing(str(v, 'word-lm'), 'word-lm', 'file');
      const p = {
        ...i,
        test,
        minEpochs,
        minLossImprove: 0.5,
        estimator,
        heldOutRatio,
        archLr,
        retrainMinEpochs: minEpochs,
        lrFloor: 1e-5,
        beam,
        decision,
        pathCheck,
        epochs: { search: searchEpochs },
        wordLm,
      };
      await selectBackend(backend);
      const { runPipeline } = await import('../stages/pipeline');
      const r = await runPipeline(p);
      warnUndecided(io, r.warning);
      emit(
        {
          results: [
            {
              name: `stnas-search (${p.estimator})`,
              architecture: r.architecture,
              params: r.params,
              testPer: r.test.per,
              ...('wer' in r.test ? { testWer: r.test.wer } : {}),
            },
          ],
          model: path.resolve(r.modelDir),
        },
        `${'wer' in r.test ? `test WER ${((r.test.wer as number) * 100).toFixed(2)}% (word LM), ` : ''}test PER ${(r.test.per * 100).toFixed(2)}% for ${r.architecture} (${r.params.toLocaleString('en-US')} params); report ${r.report}`,
      );
      return 0;
    }
    case 'prepare': {
      const out = str(v, 'out');
      const seed = int(v, 'seed', 0, 0, 2 ** 31 - 1);
      if (v['speed-perturb'] !== undefined) {
        const data = existing(str(v, 'data'), 'data');
        for (const o of ['librispeech', 'fbank-config', 'compress', 'allow-pipes', 'lexicon', 'workers'])
          if (v[o] !== undefined) throw new UsageError(`--${o} does not go with --speed-perturb`);
        const factors = parseSpeedFactors(str(v, 'speed-perturb'));
        if (path.resolve(out) === path.resolve(data)) throw new UsageError('--out must differ from --data');
        const { prepareSpeedPerturbed } = await import('../data/speed-perturb-train');
        const r = await prepareSpeedPerturbed({ data, out, factors, seed, log: (l) => io.err(l) });
        emit(
          { data: path.resolve(r.dir), utterances: r.utterances, speakers: r.speakers },
          `wrote ${r.utterances} utterances of ${r.speakers} speakers to ${r.dir}`,
        );
        return 0;
      }
      if ((v['data'] === undefined) === (v['librispeech'] === undefined))
        throw new UsageError('prepare needs --data DIR or --librispeech SRC (one of them)');
      const data = v['data'] === undefined ? undefined : existing(str(v, 'data'), 'data');
      const librispeech =
        v['librispeech'] === undefined ? undefined : existing(str(v, 'librispeech'), 'librispeech');
      if (path.resolve(out) === path.resolve((data ?? librispeech)!))
        throw new UsageError(`--out must differ from --${data ? 'data' : 'librispeech'}`);
      const compress = choice(v, 'compress', ['true', 'false'], 'true') === 'true';
      const fbankConfig =
        v['fbank-config'] === undefined
          ? undefined
          : existing(str(v, 'fbank-config'), 'fbank-config', 'file');
      const workers = v['workers'] === undefined ? undefined : int(v, 'workers', 0, 0, 256);
      const lexicon = v['lexicon'] === undefined ? (librispeech ? 'cmudict' : undefined) : str(v, 'lexicon');
      const { runPrepare } = await import('../prepare/run-prepare');
      const r = await runPrepare({
        data,
        librispeech,
        out,
        fbankConfig,
        compress,
        allowPipes: v['allow-pipes'] === true,
        lexicon,
        workers,
        seed,
        progress: progressSink(io),
        log: (l) => io.err(l),
      });
      const hours = (r.seconds / 3600).toFixed(2);
      emit(
        {
          data: r.out,
          utterances: r.utterances,
          speakers: r.speakers,
          frames: r.frames,
          seconds: r.seconds,
          upToDate: r.upToDate,
          lang: r.lang,
          oovWords: r.oovWords,
          oovTokens: r.oovTokens,
        },
        r.upToDate
          ? `${r.out} is up to date (${r.utterances} utterances, ${hours} h)`
          : `wrote ${r.utterances} utterances of ${r.speakers} speakers (${hours} h) to ${r.out}${r.lang ? `; lang: ${r.lang}` : ''}`,
      );
      return 0;
    }
    case 'demo': {
      const out = str(v, 'out', 'stnas-demo');
      const seed = int(v, 'seed', 0, 0, 2 ** 31 - 1);
      const quick = v['quick'] === true;
      const decision = decisionRule(v);
      const searchEpochs = v['search-epochs'] === undefined ? undefined : int(v, 'search-epochs', 0, 1);
      const estimator = choice(v, 'estimator', SEARCH_ESTIMATORS, DEMO_ESTIMATOR);
      const { corpusDir } = await import('../data/corpus-dir');
      const corpus = corpusDir();
      const sel = await selectBackend(backend);
      io.err(`backend ${sel.backend} (${sel.why})`);
      const { runDemo } = await import('../stages/demo');
      const r = await runDemo({
        corpus,
        out,
        seed,
        quick,
        decision,
        searchEpochs,
        estimator,
        progress: progressSink(io),
        log: (l) => io.err(l),
      });
      warnUndecided(io, r.warning);
      io.out(r.table);
      if (r.pathCheck) io.out(`path check: ${pathCheckLine(r.pathCheck)}`);
      io.out(`report: ${r.report}`);
      if (json)
        io.out(
          JSON.stringify({
            results: r.results,
            model: r.model,
            architectureProbs: r.architectureProbs,
            ...(r.pathCheck ? { pathCheck: r.pathCheck } : {}),
          }),
        );
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

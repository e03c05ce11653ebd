import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_CONFIG, expandConfig, type StnasConfig } from '@stnas/search-space';
import { corpusDir } from '../data/corpus-dir';
import { readUnits } from '../data/lang';
import { InputError } from '../errors';
import { demoPlan } from '../stages/demo';
import { SEARCH_ESTIMATORS, type SearchEstimator } from '../stages/search-estimators';

/** A plan error: names the plan file, the field and the value it got (exit code 4). */
export class PlanError extends InputError {
  override name = 'PlanError';
}

/** The training sizes of every job of an experiment (the demo's names). */
export interface ExperimentSizes {
  batchSize: number;
  lr: number;
  maxUtts?: number;
  stepsPerEpoch?: number;
  checkpointEvery: number;
  warmupEpochs: number;
  warmupMinEpochs: number;
  searchEpochs: number;
  retrainEpochs: number;
  retrainMinEpochs: number;
}

/** A hand-designed baseline: a name and one op per block. */
export interface BaselineSpec {
  name: string;
  ops: string[];
}

/** A validated plan with every path absolute (what the jobs read). */
export interface ExperimentPlan {
  /** The plan file it came from (absolute), or '' for a plan built in code. */
  file: string;
  data: { train: string; dev: string; test: string; lexicon: string; units: string };
  config: StnasConfig;
  search: { seeds: number[]; estimators: SearchEstimator[]; heldOutRatio: number; archLr: number };
  random: { count: number; seed: number };
  baselines: BaselineSpec[];
  /**
   * Retrain seeds, and the retrain loss when not CTC (the paper retrains with CTC-CRF, lambda 0.01;
   * warmup and search always use CTC, as the reference).
   */
  retrain: { seeds: number[]; loss?: 'ctc-crf'; crfLambda?: number; crfOrder?: number };
  sizes: ExperimentSizes;
  /** Phone decoding; with `wordLm`, also a word search with that word n-gram LM (WER). */
  decode: { beam: number; lm?: string; lmWeight: number; wordLm?: string; wordLmWeight?: number };
  bootstrap: { samples: number; seed: number };
  /** Threads one job uses (the local pool runs cores / threadsPerJob jobs at once). */
  threadsPerJob: number;
  /** Attempts of every job before the experiment fails (BullMQ `attempts`; the local pool too). */
  attempts: number;
}

type Obj = Record<string, unknown>;

/** Checks plan fields, naming the plan file, the field path and the value in every error. */
class Fields {
  constructor(private readonly file: string) {}

  fail(field: string, want: string, got: unknown): never {
    throw new PlanError(
      `${this.file}: ${field || 'the plan'} must be ${want}, got ${JSON.stringify(got) ?? 'undefined'}`,
    );
  }

  obj(v: unknown, field: string, keys: readonly string[]): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(field, 'an object', v);
    for (const k of Object.keys(v as Obj)) {
      if (!keys.includes(k))
        throw new PlanError(
          `${this.file}: ${field ? `${field}.` : ''}${k} is not a plan field (expected one of ${keys.join(', ')})`,
        );
    }
    return v as Obj;
  }

  int(v: unknown, field: string, dflt: number | undefined, min: number, max = 2 ** 31 - 1): number {
    if (v === undefined && dflt !== undefined) return dflt;
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max)
      this.fail(field, `an integer in [${min}, ${max}]`, v);
    return v as number;
  }

  optInt(v: unknown, field: string, min: number): number | undefined {
    return v === undefined || v === null ? undefined : this.int(v, field, undefined, min);
  }

  num(v: unknown, field: string, dflt: number, min: number, max: number, open = false): number {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isFinite(v) || v > max || (open ? v <= min : v < min))
      this.fail(field, `a number in ${open ? '(' : '['}${min}, ${max}]`, v);
    return v;
  }

  seeds(v: unknown, field: string, dflt: number[]): number[] {
    if (v === undefined) return dflt;
    if (!Array.isArray(v) || v.length === 0) this.fail(field, 'a non-empty list of seeds', v);
    const out = v.map((s, k) => this.int(s, `${field}[${k}]`, undefined, 0));
    const dup = out.find((s, k) => out.indexOf(s) !== k);
    if (dup !== undefined) this.fail(field, 'a list of distinct seeds', v);
    return out;
  }

  path(v: unknown, field: string, base: string, dflt: string): string {
    if (v === undefined) return dflt;
    if (typeof v !== 'string' || v === '') this.fail(field, 'a path (a non-empty string)', v);
    return path.resolve(base, v);
  }
}

/**
 * Parses and validates an experiment plan (JSON text). Relative paths resolve against `planFile`'s
 * folder; omitted data paths are the bundled corpus and an omitted config is the demo's supernet.
 * Every error names the field and the value.
 */
export function parsePlan(text: string, planFile: string): ExperimentPlan {
  const file = planFile ? path.resolve(planFile) : '';
  const f: Fields = new Fields(file || 'plan');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new PlanError(`${file || 'plan'} is not valid JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const base = file ? path.dirname(file) : process.cwd();
  const top = f.obj(raw, '', [
    '$comment',
    'data',
    'config',
    'search',
    'random',
    'baselines',
    'retrain',
    'sizes',
    'decode',
    'bootstrap',
    'threadsPerJob',
    'attempts',
  ]);

  const d = f.obj(top['data'] ?? {}, 'data', ['train', 'dev', 'test', 'lang', 'lexicon', 'units']);
  const needCorpus = ['train', 'dev', 'test'].some((k) => d[k] === undefined) || d['lang'] === undefined;
  const corpus = needCorpus ? corpusDir() : '';
  const lang = f.path(d['lang'], 'data.lang', base, path.join(corpus, 'lang'));
  const data = {
    train: f.path(d['train'], 'data.train', base, path.join(corpus, 'train')),
    dev: f.path(d['dev'], 'data.dev', base, path.join(corpus, 'dev')),
    test: f.path(d['test'], 'data.test', base, path.join(corpus, 'test')),
    lexicon: f.path(d['lexicon'], 'data.lexicon', base, path.join(lang, 'lexicon.txt')),
    units: f.path(d['units'], 'data.units', base, path.join(lang, 'units.txt')),
  };

  for (const [k, v] of Object.entries(data)) {
    if (!existsSync(v))
      throw new PlanError(
        `${file || 'plan'}: data.${k} ${v} does not exist${d[k] === undefined ? '' : ` (resolved against ${base})`}`,
      );
  }
  let config: StnasConfig;
  if (top['config'] === undefined) {
    let classes: number;
    try {
      classes = readUnits(data.units).names.length;
    } catch (err) {
      throw new PlanError(`${file || 'plan'}: data.units: ${(err as Error).message}`);
    }
    config = { ...DEMO_CONFIG, net_configs: { ...DEMO_CONFIG.net_configs, num_classes: classes } };
  } else if (typeof top['config'] === 'string') {
    const cfgFile = f.path(top['config'], 'config', base, '');
    try {
      config = JSON.parse(readFileSync(cfgFile, 'utf8')) as StnasConfig;
    } catch (err) {
      throw new PlanError(`${file || 'plan'}: config ${cfgFile}: ${(err as Error).message.split('\n')[0]}`);
    }
  } else {
    config = f.obj(top['config'], 'config', ['candidate', 'net', 'net_configs']) as unknown as StnasConfig;
  }
  let candidates: string[][][];
  try {
    candidates = expandConfig(config).candidates;
  } catch (err) {
    throw new PlanError(`${file || 'plan'}: config: ${(err as Error).message}`);
  }
  if (config.net !== 'MFRNet' && config.net !== 'UniNodeNet')
    f.fail('config.net', 'a one-node-per-block net (MFRNet or UniNodeNet)', config.net);
  const blockOps = candidates.map((b) => b[0]!);

  const s = f.obj(top['search'] ?? {}, 'search', ['seeds', 'estimators', 'heldOutRatio', 'archLr']);
  const estimators = (() => {
    const v = s['estimators'] ?? ['st'];
    if (!Array.isArray(v) || v.length === 0) f.fail('search.estimators', 'a non-empty list', v);
    return v.map((e, k) => {
      if (!SEARCH_ESTIMATORS.includes(e as SearchEstimator))
        f.fail(`search.estimators[${k}]`, `one of ${SEARCH_ESTIMATORS.join(', ')}`, e);
      return e as SearchEstimator;
    });
  })();
  const search = {
    seeds: f.seeds(s['seeds'], 'search.seeds', [0]),
    estimators: [...new Set(estimators)],
    heldOutRatio: f.num(s['heldOutRatio'], 'search.heldOutRatio', 0.1, 0, 0.9, true),
    archLr: f.num(s['archLr'], 'search.archLr', 5e-3, 0, 10, true),
  };

  const r = f.obj(top['random'] ?? {}, 'random', ['count', 'seed']);
  const random = {
    count: f.int(r['count'], 'random.count', 0, 0, 1000),
    seed: f.int(r['seed'], 'random.seed', 0, 0),
  };

  const bl = top['baselines'] ?? [];
  if (!Array.isArray(bl)) f.fail('baselines', 'a list of { name, ops }', bl);
  const baselines = bl.map((b, k) => {
    const o = f.obj(b, `baselines[${k}]`, ['name', 'ops']);
    const name = o['name'];
    if (typeof name !== 'string' || !/^[A-Za-z0-9._-]+$/.test(name))
      f.fail(`baselines[${k}].name`, 'a name of letters, digits, ".", "_" or "-"', name);
    let ops = o['ops'];
    if (typeof ops === 'string') ops = Array(blockOps.length).fill(ops);
    if (!Array.isArray(ops) || ops.length !== blockOps.length)
      f.fail(`baselines[${k}].ops`, `one op name or a list of ${blockOps.length} (one per block)`, o['ops']);
    (ops as unknown[]).forEach((op, n) => {
      if (typeof op !== 'string' || !blockOps[n]!.includes(op))
        f.fail(
          `baselines[${k}].ops[${n}]`,
          `one of block ${n}'s candidates (${blockOps[n]!.join(', ')})`,
          op,
        );
    });
    return { name, ops: ops as string[] };
  });
  const dupName = baselines.find((b, k) => baselines.findIndex((c) => c.name === b.name) !== k);
  if (dupName) f.fail('baselines', 'a list with distinct names', dupName.name);

  const rt = f.obj(top['retrain'] ?? {}, 'retrain', ['seeds', 'loss', 'crfLambda', 'crfOrder']);
  const retrain: ExperimentPlan['retrain'] = { seeds: f.seeds(rt['seeds'], 'retrain.seeds', [0]) };
  if (rt['loss'] !== undefined && rt['loss'] !== 'ctc') {
    if (rt['loss'] !== 'ctc-crf') f.fail('retrain.loss', '"ctc" or "ctc-crf"', rt['loss']);
    retrain.loss = 'ctc-crf';
    retrain.crfLambda = f.num(rt['crfLambda'], 'retrain.crfLambda', 0.01, 0, 1000);
    retrain.crfOrder = f.int(rt['crfOrder'], 'retrain.crfOrder', 4, 1, 10);
  } else if (rt['crfLambda'] !== undefined || rt['crfOrder'] !== undefined) {
    f.fail('retrain.loss', '"ctc-crf" when retrain.crfLambda or retrain.crfOrder is set', rt['loss']);
  }

  const dflt = demoPlan(false);
  const z = f.obj(top['sizes'] ?? {}, 'sizes', [
    'batchSize',
    'lr',
    'maxUtts',
    'stepsPerEpoch',
    'checkpointEvery',
    'warmupEpochs',
    'warmupMinEpochs',
    'searchEpochs',
    'retrainEpochs',
    'retrainMinEpochs',
  ]);
  const sizes: ExperimentSizes = {
    batchSize: f.int(z['batchSize'], 'sizes.batchSize', dflt.batchSize, 1, 4096),
    lr: f.num(z['lr'], 'sizes.lr', dflt.lr, 0, 10, true),
    maxUtts: f.optInt(z['maxUtts'], 'sizes.maxUtts', 1),
    stepsPerEpoch: f.optInt(z['stepsPerEpoch'], 'sizes.stepsPerEpoch', 1),
    checkpointEvery: f.int(z['checkpointEvery'], 'sizes.checkpointEvery', 20, 1),
    warmupEpochs: f.int(z['warmupEpochs'], 'sizes.warmupEpochs', dflt.warmupEpochs, 1),
    warmupMinEpochs: f.int(z['warmupMinEpochs'], 'sizes.warmupMinEpochs', dflt.warmupMinEpochs, 0),
    searchEpochs: f.int(z['searchEpochs'], 'sizes.searchEpochs', dflt.searchEpochs, 1),
    retrainEpochs: f.int(z['retrainEpochs'], 'sizes.retrainEpochs', dflt.retrainEpochs, 1),
    retrainMinEpochs: f.int(z['retrainMinEpochs'], 'sizes.retrainMinEpochs', dflt.retrainMinEpochs, 0),
  };

  const dc = f.obj(top['decode'] ?? {}, 'decode', ['beam', 'lm', 'lmWeight', 'wordLm', 'wordLmWeight']);
  const decode: ExperimentPlan['decode'] = {
    beam: f.int(dc['beam'], 'decode.beam', 0, 0, 10000),
    lm: dc['lm'] === undefined ? undefined : f.path(dc['lm'], 'decode.lm', base, ''),
    lmWeight: f.num(dc['lmWeight'], 'decode.lmWeight', 0.5, 0, 100),
  };
  if (dc['wordLm'] !== undefined) {
    decode.wordLm = f.path(dc['wordLm'], 'decode.wordLm', base, '');
    if (!existsSync(decode.wordLm))
      throw new PlanError(`${file || 'plan'}: decode.wordLm ${decode.wordLm} does not exist`);
    decode.wordLmWeight = f.num(dc['wordLmWeight'], 'decode.wordLmWeight', 0.5, 0, 100);
  } else if (dc['wordLmWeight'] !== undefined) {
    f.fail('decode.wordLm', 'a word LM file when decode.wordLmWeight is set', dc['wordLm']);
  }
  if (decode.wordLm && decode.lm) f.fail('decode.lm', 'absent when decode.wordLm is set', dc['lm']);
  if (decode.lm && decode.beam === 0) f.fail('decode.beam', 'at least 1 when decode.lm is set', decode.beam);

  const bs = f.obj(top['bootstrap'] ?? {}, 'bootstrap', ['samples', 'seed']);
  const bootstrap = {
    samples: f.int(bs['samples'], 'bootstrap.samples', 1000, 100, 1_000_000),
    seed: f.int(bs['seed'], 'bootstrap.seed', 0, 0),
  };
  if (baselines.length === 0 && random.count === 0)
    throw new PlanError(
      `${file || 'plan'}: baselines and random.count are both empty: nothing to compare with`,
    );
  return {
    file,
    data,
    config,
    search,
    random,
    baselines,
    retrain,
    sizes,
    decode,
    bootstrap,
    threadsPerJob: f.int(top['threadsPerJob'], 'threadsPerJob', 1, 1, 1024),
    attempts: f.int(top['attempts'], 'attempts', 2, 1, 100),
  };
}

/** Reads and validates a plan file (see `parsePlan`). */
export function readPlan(file: string): ExperimentPlan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new PlanError(`plan ${file} does not exist or cannot be read`);
  }
  return parsePlan(text, file);
}

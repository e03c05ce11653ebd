import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../../../../test/temp-dir';
import { corpus } from '../test-support';
import { PlanError, parsePlan, readPlan } from './plan';
import { SPACE } from './test-space';

const minimal = { baselines: [{ name: 'small', ops: 'tdnn-C1D1Nln' }] };
const parse = (plan: unknown, file = '/plans/p.json') => parsePlan(JSON.stringify(plan), file);

describe('parsePlan', () => {
  it('fills the bundled corpus, the demo supernet and the defaults when they are omitted', () => {
    const p = parse(minimal);
    expect(p.data.train).toBe(path.join(corpus, 'train'));
    expect(p.data.units).toBe(path.join(corpus, 'lang', 'units.txt'));
    expect(p.config.net_configs.num_classes).toBe(41);
    expect(p.config.net_configs.block_list).toEqual([4]);
    expect(p.search).toEqual({ seeds: [0], estimators: ['st'], heldOutRatio: 0.1, archLr: 5e-3 });
    expect(p.baselines).toEqual([{ name: 'small', ops: Array(4).fill('tdnn-C1D1Nln') }]);
    expect(p.bootstrap).toEqual({ samples: 1000, seed: 0 });
    expect(p.attempts).toBe(2);
    expect(p.retrain).toEqual({ seeds: [0] });
    expect(parse({ ...minimal, retrain: { seeds: [4], loss: 'ctc-crf' } }).retrain).toEqual({
      seeds: [4],
      loss: 'ctc-crf',
      crfLambda: 0.01,
      crfOrder: 4,
    });
  });

  it("resolves relative paths against the plan file's folder", () => {
    const dir = testTempDir('stnas-plan-');
    mkdirSync(path.join(dir, 'data'));
    for (const d of ['train', 'dev', 'test', 'lang']) mkdirSync(path.join(dir, 'data', d));
    writeFileSync(path.join(dir, 'data', 'lang', 'lexicon.txt'), '');
    writeFileSync(path.join(dir, 'data', 'lang', 'units.txt'), '<blk> 0\na 1\n');
    const file = path.join(dir, 'plan.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...minimal,
        data: { train: 'data/train', dev: 'data/dev', test: 'data/test', lang: 'data/lang' },
      }),
    );
    const p = readPlan(file);
    expect(p.data.train).toBe(path.join(dir, 'data', 'train'));
    expect(p.data.lexicon).toBe(path.join(dir, 'data', 'lang', 'lexicon.txt'));
    expect(p.config.net_configs.num_classes).toBe(2);
    expect(() => parse({ ...minimal, data: { test: 'nowhere' } }, file)).toThrow(
      `${file}: data.test ${path.join(dir, 'nowhere')} does not exist (resolved against ${dir})`,
    );
  });

  it.each([
    [
      { ...minimal, search: { seeds: [1, 'x'] } },
      'search.seeds[1] must be an integer in [0, 2147483647], got "x"',
    ],
    [{ ...minimal, search: { seeds: [3, 3] } }, 'search.seeds must be a list of distinct seeds, got [3,3]'],
    [
      { ...minimal, search: { estimators: ['st', 'enas'] } },
      'search.estimators[1] must be one of st, gdas, snas, darts, spos, leg, got "enas"',
    ],
    [{ ...minimal, sizes: { batchSize: 0 } }, 'sizes.batchSize must be an integer in [1, 4096], got 0'],
    [{ ...minimal, sizes: { lr: -1 } }, 'sizes.lr must be a number in (0, 10], got -1'],
    [{ ...minimal, sizes: { epochs: 3 } }, 'sizes.epochs is not a plan field'],
    [{ ...minimal, retrian: {} }, 'retrian is not a plan field'],
    [
      { baselines: [{ name: 'b', ops: ['tdnn-C1D1Nln'] }] },
      'baselines[0].ops must be one op name or a list of 4 (one per block), got ["tdnn-C1D1Nln"]',
    ],
    [
      { config: SPACE, baselines: [{ name: 'b', ops: 'tdnn-C9D1Nln' }] },
      'baselines[0].ops[0] must be one of block 0\'s candidates (tdnn-C1D1Nln, tdnn-C1D2Nln, tdnn-C2D1Nln, tdnn-C2D2Nln), got "tdnn-C9D1Nln"',
    ],
    [
      { baselines: [{ name: 'a b', ops: 'tdnn-C1D1Nln' }] },
      'baselines[0].name must be a name of letters, digits, ".", "_" or "-", got "a b"',
    ],
    [{ ...minimal, retrain: { loss: 'crf' } }, 'retrain.loss must be "ctc" or "ctc-crf", got "crf"'],
    [
      { ...minimal, retrain: { crfLambda: 0.1 } },
      'retrain.loss must be "ctc-crf" when retrain.crfLambda or retrain.crfOrder is set, got undefined',
    ],
    [{ ...minimal, decode: { wordLm: 'none.arpa' } }, 'decode.wordLm /plans/none.arpa does not exist'],
    [
      { ...minimal, decode: { wordLmWeight: 1 } },
      'decode.wordLm must be a word LM file when decode.wordLmWeight is set, got undefined',
    ],
    [{ ...minimal, decode: { lm: 'x.arpa' } }, 'decode.beam must be at least 1 when decode.lm is set, got 0'],
    [
      { ...minimal, config: { net: 'Nope', candidate: ['a'], net_configs: {} } },
      'config: search-space config: "net" must be one of',
    ],
    [{}, 'baselines and random.count are both empty'],
    [[1], 'the plan must be an object, got [1]'],
  ])('names the field and the value: %j', (plan, message) => {
    expect(() => parse(plan)).toThrow(PlanError);
    expect(() => parse(plan)).toThrow(`/plans/p.json: ${message}`);
  });

  it('names the file of a malformed plan', () => {
    expect(() => parsePlan('{"search": ', '/plans/bad.json')).toThrow(
      /^\/plans\/bad\.json is not valid JSON: /,
    );
    expect(() => readPlan('/plans/none.json')).toThrow(
      'plan /plans/none.json does not exist or cannot be read',
    );
  });
});

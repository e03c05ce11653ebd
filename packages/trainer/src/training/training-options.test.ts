// Parsing and validation of the loss and augmentation options, and the per-step SpecAugment seed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main';
import type { Batch } from '../data/batch';
import { parseSpeedFactors } from '../data/speed-perturb-train';
import { capture, corpus } from '../test-support';
import { augmentBatch, parseSpecAugmentConfig, resolveTrainingOptions, stepSeed } from './training-options';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'stnas-topts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('training option parsing', () => {
  it('reads speed factors and rejects malformed lists', () => {
    expect(parseSpeedFactors('0.9,1.0,1.1')).toEqual([0.9, 1, 1.1]);
    expect(() => parseSpeedFactors('0.9,,1.1')).toThrow(/comma-separated list of speed factors/);
    expect(() => parseSpeedFactors('0.9,3')).toThrow(/in \[0\.5, 2\], got "0\.9,3"/);
    expect(() => parseSpeedFactors('1,1.0')).toThrow(/lists a factor twice/);
  });

  it('reads SpecAugment settings inline or from a file, naming a bad key', () => {
    expect(parseSpecAugmentConfig('{"freqMasks":1,"timeMaskRatio":0.1}')).toEqual({
      freqMasks: 1,
      timeMaskRatio: 0.1,
    });
    const f = path.join(tmp, 'sa.json');
    writeFileSync(f, '{"timeWarp": 5}');
    expect(parseSpecAugmentConfig(f)).toEqual({ timeWarp: 5 });
    expect(() => parseSpecAugmentConfig('{"freqMask":1}')).toThrow(/unknown key "freqMask"/);
    expect(() => parseSpecAugmentConfig('{"timeMasks":1.5}')).toThrow(
      /"timeMasks" must be a non-negative integer/,
    );
    expect(() => parseSpecAugmentConfig('{"timeMaskRatio":2}')).toThrow(/must be a number in \[0, 1\]/);
    expect(() => parseSpecAugmentConfig('[1]')).toThrow(/must be a JSON object/);
    expect(() => parseSpecAugmentConfig('{bad')).toThrow(/not valid JSON/);
  });

  it('fills defaults: the band is shared by statics and deltas, CRF settings only for ctc-crf', () => {
    const p = { cmvn: 'speaker' as const, normVars: true, deltaOrder: 2 };
    expect(resolveTrainingOptions({}, p)).toEqual({
      loss: 'ctc',
      crfLambda: null,
      crfOrder: null,
      specAugment: null,
      speedPerturb: null,
    });
    const r = resolveTrainingOptions({ loss: 'ctc-crf', specAugment: { timeMasks: 1 } }, p);
    expect(r.crfLambda).toBe(0.01);
    expect(r.crfOrder).toBe(4);
    expect(r.specAugment).toMatchObject({ freqGroups: 3, freqMasks: 2, freqMaskWidth: 10, timeMasks: 1 });
  });

  it('masks a training batch by (seed, stage, step): same key, same masks; other steps differ', () => {
    const T = 50;
    const D = 6;
    const x = Float32Array.from({ length: 2 * T * D }, (_, i) => 1 + (i % 7));
    const batch: Batch = {
      keys: ['a', 'b'],
      x,
      shape: [2, T, D],
      lengths: [T, 40],
      labels: [Int32Array.of(1), Int32Array.of(2)],
      frames: T + 40,
    };
    const cfg = {
      freqMasks: 1,
      freqMaskWidth: 1,
      freqGroups: 3,
      timeMasks: 2,
      timeMaskWidth: 10,
      timeMaskRatio: 0.2,
    };
    const a = augmentBatch(batch, cfg, 7, 'retrain', 3);
    const b = augmentBatch(batch, cfg, 7, 'retrain', 3);
    const c = augmentBatch(batch, cfg, 7, 'retrain', 4);
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect(Array.from(c.x)).not.toEqual(Array.from(a.x));
    expect(augmentBatch(batch, null, 7, 'retrain', 3)).toBe(batch);
    expect(Array.from(batch.x)).toEqual(Array.from(x)); // the stored batch is never modified
    // only masking: every cell is either untouched or 0, and padding (b's frames 40..49) untouched
    let zeros = 0;
    for (let i = 0; i < x.length; i++) {
      if (a.x[i] !== x[i]) {
        expect(a.x[i]).toBe(0);
        zeros++;
      }
    }
    expect(zeros).toBeGreaterThan(0);
    expect(Array.from(a.x.subarray(T * D + 40 * D))).toEqual(Array.from(x.subarray(T * D + 40 * D)));
    expect(stepSeed(7, 'retrain', 3)).not.toBe(stepSeed(7, 'warmup', 3));
  });
});

describe('stnas CLI: loss and augmentation options', () => {
  const train = path.join(corpus, 'train');
  const dev = path.join(corpus, 'dev');
  const base = ['retrain', '--config', path.join(tmp, 'c.json'), '--data', train, '--dev', dev, '--out', tmp];
  const bad: [string[], RegExp][] = [
    [[...base, '--loss', 'crf'], /^stnas: --loss must be one of ctc, ctc-crf, not "crf"$/],
    [[...base, '--crf-lambda', '0.1'], /--crf-lambda needs --loss ctc-crf/],
    [
      [...base, '--loss', 'ctc-crf', '--crf-lambda=-1'],
      /--crf-lambda must be a number in \[0, 1000\], got "-1"/,
    ],
    [
      [...base, '--loss', 'ctc-crf', '--crf-order', '0'],
      /--crf-order must be an integer in \[1, 10\], got "0"/,
    ],
    [
      [...base, '--spec-augment-config', '{"timeMasks":-1}'],
      /"timeMasks" must be a non-negative integer, got -1/,
    ],
    [
      [...base, '--spec-augment-config', 'nofile.json'],
      /nofile\.json is neither inline JSON nor an existing file/,
    ],
    [[...base, '--speed-perturb', '0.9,x'], /--speed-perturb must be a comma-separated list/],
    [['decode', '--model', tmp, '--loss', 'ctc'], /option --loss does not apply to 'stnas decode'/],
    [['prepare', '--out', path.join(tmp, 'sp')], /prepare needs --data DIR or --librispeech SRC/],
    [
      [
        'prepare',
        '--data',
        train,
        '--speed-perturb',
        '1.1',
        '--compress',
        'false',
        '--out',
        path.join(tmp, 'sp'),
      ],
      /--compress does not go with --speed-perturb/,
    ],
    [['prepare', '--data', train, '--compress', 'no', '--out', path.join(tmp, 'sp')], /--compress/],
    [['prepare', '--data', train, '--speed-perturb', '1.1', '--out', train], /--out must differ from --data/],
  ];
  it.each(bad)('bad arguments %j exit 2 with one line', async (argv, message) => {
    const c = capture();
    expect(await main(argv, c.io)).toBe(2);
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(message);
    expect(c.out).toEqual([]);
  });

  it('--speed-perturb on a data dir without audio exits 4 with one line pointing at the generator', async () => {
    for (const argv of [
      ['prepare', '--data', train, '--speed-perturb', '0.9,1.0,1.1', '--out', path.join(tmp, 'sp')],
      [
        ...base.slice(0, 2),
        path.join(tmp, 'tiny.json'),
        ...base.slice(3),
        '--arch',
        'tdnn-C1D1Nln',
        '--speed-perturb',
        '0.9,1.0,1.1',
      ],
    ]) {
      writeFileSync(
        path.join(tmp, 'tiny.json'),
        JSON.stringify({
          candidate: ['tdnn-C1D1Nln'],
          net: 'UniNodeNet',
          net_configs: { block_list: [1], idim: 120, odims: [8], num_classes: 41 },
        }),
      );
      const c = capture();
      expect(await main(['--backend', 'cpu', ...argv], c.io)).toBe(4);
      expect(c.err).toHaveLength(1);
      expect(c.err[0]).toMatch(/--speed-perturb needs audio, but .*train\/wav\.scp does not exist/);
      expect(c.err[0]).toMatch(/generator's --speed-perturb .* or use a data dir with wav\.scp/);
    }
  });
});

// CTC-CRF and SpecAugment wired into the training stages, on the real corpus with a tiny net.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDenominatorGraph, estimatePhoneLm, formatArpa, parseArpa } from '@stnas/ctc';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main';
import type { Batch } from '../data/batch';
import { DEFAULT_PIPELINE } from '../data/feature-pipeline';
import { readLexicon, readUnits } from '../data/lang';
import { openStageSet, type StageSet } from '../data/stage-set';
import { capture, corpus, tinySupernet } from '../test-support';
import { readCheckpoint } from '../training/checkpoint';
import { lmVocabulary } from './decode';
import { configWithOps, type RetrainInputs, runRetrain } from './retrain';
import { runSearch } from './search';
import { runWarmup } from './warmup';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'stnas-objective-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const supernet = tinySupernet(['tdnn-C1D1Nln', 'tdnn-C2D1Nln']);
const lexicon = path.join(corpus, 'lang', 'lexicon.txt');
const units = path.join(corpus, 'lang', 'units.txt');

function inputs(out: string, extra: Partial<RetrainInputs> = {}): RetrainInputs {
  return {
    config: supernet,
    architecture: configWithOps(supernet, ['tdnn-C1D1Nln', 'tdnn-C2D1Nln']),
    name: 'retrain',
    minEpochs: 1,
    lrFloor: 1e-5,
    data: path.join(corpus, 'train'),
    dev: path.join(corpus, 'dev'),
    lexicon,
    units,
    out,
    seed: 4,
    batchSize: 4,
    lr: 2e-3,
    maxEpochs: 2,
    stepsPerEpoch: 2,
    checkpointEvery: 1,
    maxUtts: 12,
    pipeline: DEFAULT_PIPELINE,
    progress: { write: () => {}, isTTY: false },
    log: () => {},
    ...extra,
  };
}

const loadSet = (dir: string) =>
  openStageSet(path.join(corpus, dir), {
    lexicon: readLexicon(lexicon),
    units: readUnits(units),
    pipeline: DEFAULT_PIPELINE,
    maxUtts: 12,
    batching: { batchSize: 4, shuffle: false },
  });

describe('stnas retrain --loss ctc-crf', () => {
  it('estimates the phone LM from the training labels only, writes it, and trains to a finite loss', async () => {
    const out = path.join(tmp, 'crf-cli');
    const cfg = path.join(tmp, 'supernet.json');
    writeFileSync(cfg, JSON.stringify(supernet));
    const c = capture();
    const code = await main(
      [
        '--backend',
        'cpu',
        'retrain',
        '--config',
        cfg,
        '--data',
        path.join(corpus, 'train'),
        '--dev',
        path.join(corpus, 'dev'),
        '--out',
        out,
        '--arch',
        'tdnn-C1D1Nln,tdnn-C2D1Nln',
        '--loss',
        'ctc-crf',
        '--crf-order',
        '3',
        '--batch-size',
        '4',
        '--max-utts',
        '12',
        '--steps-per-epoch',
        '2',
        '--max-epochs',
        '1',
        '--min-epochs',
        '1',
        '--json',
      ],
      c.io,
    );
    expect(code, c.err.join('\n')).toBe(0);
    const dir = path.join(out, 'retrain');
    // The ARPA is exactly the ML estimate from the 12 training utterances' labels (not dev's).
    const train = await loadSet('train');
    const arpa = readFileSync(path.join(dir, 'phone_lm.arpa'), 'utf8');
    expect(arpa).toBe(
      formatArpa(
        estimatePhoneLm(
          train.dataset.utts.map((u) => train.labels.get(u)!),
          { order: 3 },
        ),
      ),
    );
    expect(arpa).toMatch(/^\n\\data\\\nngram 1=\d+\nngram 2=\d+\nngram 3=\d+\n\n?\\1-grams:/);
    expect(JSON.parse(readFileSync(path.join(dir, 'run-config.json'), 'utf8'))).toEqual({
      loss: 'ctc-crf',
      crfLambda: 0.01,
      crfOrder: 3,
      specAugment: null,
      speedPerturb: null,
    });
    const model = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(model.training.loss).toBe('ctc-crf');
    const h = JSON.parse(readFileSync(path.join(dir, 'history.json'), 'utf8')).history;
    expect(h).toHaveLength(1);
    expect(Number.isFinite(h[0].trainLoss) && h[0].trainLoss > 0).toBe(true);
    expect(Number.isFinite(h[0].devLoss) && h[0].devLoss > 0).toBe(true);
    // dev references with n-grams the LM never saw are counted, not averaged in as infinite
    const dev = await loadSet('dev');
    const graph = buildDenominatorGraph(parseArpa(arpa), { numClasses: 41, blank: 0 });
    const impossible = dev.dataset.utts.filter(
      (u) => graph.sequenceLogProb(dev.labels.get(u)!) === -Infinity,
    ).length;
    await dev.close();
    expect(impossible).toBeGreaterThan(0);
    // ... per epoch, in the history and the log; the dev loss (CAT's, without the reference's LM
    // weight) scores all 12
    expect(h[0].devInfinite).toBe(impossible);
    expect(h[0].devUtterances).toBe(12);
    expect(Number.isFinite(h[0].devCtcLoss) && h[0].devCtcLoss > 0).toBe(true);
    expect(c.err.join('\n')).toContain(
      `dev CTC-CRF loss over all 12 (${impossible} have a reference the phone LM forbids: infinite with its LM weight, scored without it as CAT does), dev CTC loss ${h[0].devCtcLoss.toFixed(3)}`,
    );
  }, 60_000);
});

describe('SpecAugment in training', () => {
  it('masks training batches only: dev batches are the stored ones, train batches differ only by zeros', async () => {
    const out = path.join(tmp, 'sa-roles');
    const seen: Array<[string, Batch]> = [];
    await runRetrain(inputs(out, { specAugment: {}, maxEpochs: 1, onBatch: (r, b) => seen.push([r, b]) }));
    const byKeys = async (set: StageSet) => {
      const out = new Map<string, Batch>();
      for await (const b of set.batches(0)) out.set(b.keys.join(' '), b);
      await set.close();
      return out;
    };
    const train = await byKeys(await loadSet('train'));
    const dev = await byKeys(await loadSet('dev'));
    const roles = seen.map(([r]) => r);
    expect(roles.filter((r) => r === 'train')).toHaveLength(2);
    expect(roles.filter((r) => r === 'dev')).toHaveLength(3);
    for (const [role, b] of seen) {
      const orig = (role === 'dev' ? dev : train).get(b.keys.join(' '))!;
      expect(orig, role).toBeDefined();
      if (role === 'dev') {
        expect(Array.from(b.x)).toEqual(Array.from(orig.x));
        continue;
      }
      let masked = 0;
      for (let i = 0; i < b.x.length; i++) {
        if (b.x[i] !== orig.x[i]) {
          expect(b.x[i]).toBe(0);
          masked++;
        }
      }
      // two 0..10-bin bands x 3 groups and two time spans per utterance: some cells always change
      expect(masked).toBeGreaterThan(0);
      expect(masked).toBeLessThan(b.x.length / 2);
    }
    expect(
      JSON.parse(readFileSync(path.join(out, 'retrain', 'run-config.json'), 'utf8')).specAugment,
    ).toEqual({
      freqMasks: 2,
      freqMaskWidth: 10,
      freqGroups: 3,
      timeMasks: 2,
      timeMaskWidth: 40,
      timeMaskRatio: 0.2,
      timeWarp: 0,
    });
  }, 60_000);

  it('a ctc-crf + SpecAugment retrain paused after every step and resumed matches an uninterrupted one', async () => {
    const straight = path.join(tmp, 'sa-straight');
    const paused = path.join(tmp, 'sa-paused');
    const opts = { specAugment: { timeWarp: 2 }, loss: 'ctc-crf' as const };
    await runRetrain(inputs(straight, opts));
    let runs = 0;
    for (;;) {
      runs++;
      if (runs > 8) throw new Error('the paused retrain never finished');
      try {
        await runRetrain(inputs(paused, { ...opts, maxStepsThisRun: 1 }));
        break;
      } catch (err) {
        expect((err as Error).message).toMatch(/retrain paused at step/);
      }
    }
    expect(runs).toBe(4);
    const arrays = (d: string, f: string) => {
      const ck = readCheckpoint(path.join(d, 'retrain', f));
      return Object.fromEntries(Object.entries(ck.arrays).map(([k, a]) => [k, Array.from(a.data)]));
    };
    for (const f of ['checkpoint.ckpt', 'weights.ckpt'])
      expect(arrays(paused, f)).toEqual(arrays(straight, f));
    const hist = (d: string) =>
      JSON.parse(readFileSync(path.join(d, 'retrain', 'history.json'), 'utf8')).history.map(
        (e: { trainLoss: number; devLoss: number }) => [e.trainLoss, e.devLoss],
      );
    expect(hist(paused)).toEqual(hist(straight));
    // resuming with different options is refused rather than mixing two trainings
    await expect(runRetrain(inputs(paused, { loss: 'ctc' }))).rejects.toThrow(/run-config\.json records/);
    expect(existsSync(path.join(paused, 'retrain', 'phone_lm.arpa'))).toBe(true);
  }, 90_000);
});

describe('decoding with the phone LM a CTC-CRF stage writes', () => {
  it('reads class-id LMs (phone_lm.arpa) and unit-name LMs; refuses an LM that knows neither', () => {
    const names = ['<blk>', 'AA', 'B'];
    expect(lmVocabulary(['<s>', '</s>', '1', '2'], names, 'phone_lm.arpa')).toBeUndefined();
    expect(lmVocabulary(['<s>', '</s>', 'AA', 'B'], names, 'names.arpa')).toEqual(names);
    expect(() => lmVocabulary(['<s>', '</s>', 'ZZ'], names, 'other.arpa')).toThrow(
      /other\.arpa: none of the model's 2 units is a word of the LM/,
    );
  });
});

describe('warmup and search with ctc-crf and SpecAugment', () => {
  it('write their phone LMs and augment weight batches only, never the held-out batches', async () => {
    const out = path.join(tmp, 'ws');
    const seen: Array<[string, Batch]> = [];
    const base = {
      ...inputs(out),
      loss: 'ctc-crf' as const,
      specAugment: {},
      maxEpochs: 1,
      onBatch: (r: string, b: Batch) => seen.push([r, b]),
    };
    await runWarmup({ ...base, minEpochs: 1, minLossImprove: 0.5 });
    const s = await runSearch({ ...base, estimator: 'st', heldOutRatio: 0.25, archLr: 5e-3 });
    expect(s.derived).toBeDefined();
    for (const stage of ['warmup', 'search'])
      expect(readFileSync(path.join(out, stage, 'phone_lm.arpa'), 'utf8')).toMatch(/\\4-grams:/);
    const held = seen.filter(([r]) => r === 'heldOut');
    expect(held.length).toBe(2);
    // the held-out batches are regrouped from the split, so compare per utterance with the stored features
    // each utterance's network input as the dataset computes it (CMVN + deltas), unpadded
    const trainSet = await loadSet('train');
    const utts = new Map<string, { feats: Float32Array }>();
    for (const u of trainSet.dataset.utts)
      utts.set(u, { feats: (await trainSet.dataset.features(u)).data as Float32Array });
    await trainSet.close();
    for (const [, b] of held) {
      b.keys.forEach((k, j) => {
        const u = utts.get(k)!;
        const T = b.shape[1];
        expect(Array.from(b.x.subarray(j * T * 120, j * T * 120 + u.feats.length))).toEqual(
          Array.from(u.feats),
        );
      });
    }
    const trainSteps = seen.filter(([r]) => r === 'train');
    expect(trainSteps.length).toBe(4); // 2 warmup + 2 search weight steps
    let changed = 0;
    for (const [, b] of trainSteps) {
      b.keys.forEach((k, j) => {
        const u = utts.get(k)!;
        const T = b.shape[1];
        const got = b.x.subarray(j * T * 120, j * T * 120 + u.feats.length);
        for (let i = 0; i < got.length; i++) if (got[i] !== u.feats[i]) changed++;
      });
    }
    expect(changed).toBeGreaterThan(0);
  }, 60_000);
});

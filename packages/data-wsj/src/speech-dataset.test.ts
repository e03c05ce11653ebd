import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDeltas } from './add-deltas.ts';
import { applyCmvn } from './apply-cmvn.ts';
import { buildUnits, labelTranscripts, readLexicon } from './lexicon.ts';
import { type DataDir, loadDataDir } from './load-data-dir.ts';
import { SpeechDataset } from './speech-dataset.ts';
import { KALDI, readAll } from './test-fixtures.ts';
import type { Matrix } from './types.ts';

let dd: DataDir;
let labels: Map<string, Int32Array>;
beforeAll(async () => {
  dd = await loadDataDir(path.join(KALDI, 'datadir'));
  const lex = await readLexicon(path.join(KALDI, 'dict/lexicon.txt'), { stripStress: true });
  labels = labelTranscripts(dd.text!, lex, buildUnits(lex)).labels;
});
afterAll(() => dd.close());

describe('SpeechDataset', () => {
  it('batches respect the frame budget, cover every utterance once, and are length-sorted', async () => {
    const ds = await SpeechDataset.fromDataDir(dd, { labels, frameBudget: 1200, seed: 1 });
    const plan = ds.plan(0);
    expect(plan.flat().sort()).toEqual(dd.utts);
    for (const b of plan) {
      const lens = b.map((u) => ds.lengths.get(u)!);
      expect(b.length * Math.max(...lens)).toBeLessThanOrEqual(1200);
      expect(lens).toEqual([...lens].sort((x, y) => x - y));
    }
    expect(plan.length).toBeGreaterThanOrEqual(4); // 12 utts of 344-373+ frames, 3 per batch at most
  });

  it('is seeded: same seed and epoch give the same order, another epoch reshuffles', async () => {
    const a = await SpeechDataset.fromDataDir(dd, { frameBudget: 800, seed: 7 });
    const b = await SpeechDataset.fromDataDir(dd, { frameBudget: 800, seed: 7 });
    expect(a.plan(3)).toEqual(b.plan(3));
    const orders = new Set([0, 1, 2, 3, 4, 5].map((e) => JSON.stringify(a.plan(e))));
    expect(orders.size).toBeGreaterThan(1);
    const c = await SpeechDataset.fromDataDir(dd, { frameBudget: 800, shuffle: false });
    expect(c.plan(0)).toEqual(c.plan(5));
  });

  it('orders the length buckets per epoch, rebatches with other options, and resumes an epoch', async () => {
    const ds = await SpeechDataset.fromDataDir(dd, { frameBudget: 800, seed: 7 });
    const buckets = ds.buckets();
    expect(ds.plan(2)).toEqual(ds.batchOrder(2).map((i) => buckets[i]));
    expect([...ds.batchOrder(2)].sort((x, y) => x - y)).toEqual(buckets.map((_, i) => i));
    const fixed = ds.withOptions({ frameBudget: Number.POSITIVE_INFINITY, maxBatchSize: 5, shuffle: false });
    // 12 utterances sorted by length, cut every 5 utterances: the sizes say the budget no longer applies
    expect(fixed.buckets().map((b) => b.length)).toEqual([5, 5, 2]);
    expect(fixed.batchOrder(9)).toEqual([0, 1, 2]);
    const all: string[][] = [];
    for await (const b of ds.batches(4)) all.push(b.keys);
    const rest: string[][] = [];
    for await (const b of ds.batches(4, 2)) rest.push(b.keys);
    expect(rest).toEqual(all.slice(2));
    expect(() => ds.withOptions({ maxBatchSize: 0 })).toThrow('maxBatchSize must be at least 1, got 0');
  });

  it('pads features, gives lengths and labels, with CMVN and deltas as the Kaldi tools would', async () => {
    const ds = await SpeechDataset.fromDataDir(dd, {
      labels,
      cmvn: { normVars: true },
      deltas: { order: 2, window: 2 },
      frameBudget: 1200,
      maxBatchSize: 2,
    });
    expect(ds.dim).toBe(120);
    const meanvar = new Map(
      (await readAll(path.join(KALDI, 'datadir/fbank/spk1.apply_cmvn_meanvar.ark'))).map((e) => [
        e.key,
        e.value as Matrix,
      ]),
    );
    let seen = 0;
    for await (const b of ds.batches(0)) {
      expect(b.batchSize).toBeLessThanOrEqual(2);
      expect(b.features.length).toBe(b.batchSize * b.maxFrames * 120);
      expect(b.maxFrames).toBe(Math.max(...b.lengths));
      for (let i = 0; i < b.batchSize; i++) {
        const k = b.keys[i]!;
        expect(b.lengths[i]).toBe(dd.numFrames!.get(k));
        expect(b.labels[i]).toBe(labels.get(k));
        expect(b.labelLengths[i]).toBe(labels.get(k)!.length);
        const T = b.lengths[i]!;
        const row0 = b.features.subarray(i * b.maxFrames * 120, i * b.maxFrames * 120 + T * 120);
        const ref = meanvar.get(k);
        if (ref) {
          // spk1: apply-cmvn --norm-vars output from Kaldi, then add-deltas.
          expect(Array.from(row0)).toEqual(Array.from(addDeltas(ref).data));
        } else {
          const stats = await dd.cmvn!.getMatrix(dd.utt2spk.get(k)!);
          const want = addDeltas(applyCmvn(await dd.feats.getMatrix(k), stats, { normVars: true }));
          expect(Array.from(row0)).toEqual(Array.from(want.data));
        }
        const pad = b.features.subarray(i * b.maxFrames * 120 + T * 120, (i + 1) * b.maxFrames * 120);
        expect(pad.every((v) => v === 0)).toBe(true);
        seen++;
      }
    }
    expect(seen).toBe(12);
  });

  it('splits train / held-out by ratio with a seed, disjoint and complete', async () => {
    const ds = await SpeechDataset.fromDataDir(dd, { frameBudget: 2000 });
    const { train, heldOut } = ds.split(0.25, 42);
    expect(heldOut.utts.length).toBe(3);
    expect(train.utts.length).toBe(9);
    expect([...train.utts, ...heldOut.utts].sort()).toEqual(dd.utts);
    expect(ds.split(0.25, 42).heldOut.utts).toEqual(heldOut.utts);
    expect(ds.split(0.25, 43).heldOut.utts).not.toEqual(heldOut.utts);
    expect(() => ds.split(1.5)).toThrow(/heldOutRatio/);
  });

  it('rejects missing labels and bad options by name', async () => {
    await expect(SpeechDataset.fromDataDir(dd, { labels: new Map() })).rejects.toThrow(
      /12 utterances have no labels, e\.g\. spk1-utt001/,
    );
    await expect(SpeechDataset.fromDataDir(dd, { frameBudget: 0 })).rejects.toThrow(
      /frameBudget must be positive/,
    );
  });

  it('an utterance longer than the budget gets its own batch', async () => {
    const ds = await SpeechDataset.fromDataDir(dd, { frameBudget: 100 });
    expect(ds.plan(0).every((b) => b.length === 1)).toBe(true);
  });
});

// The search's stop rule and its "did not decide" warning, end to end on a tiny supernet over the
// real corpus (cpu backend): pure rules are tested in search-health; this checks the stage wires them.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSupernet } from '@stnas/search-space';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main';
import { capture, corpus, tinySupernet } from '../test-support';
import { readCheckpoint } from '../training/checkpoint';
import { assignVariables, type EpochRecord } from '../training/train-loop';
import { runSearch } from './search';
import { evaluateLoss, loadStageData, modelVariables, type StageInputs } from './stage-common';
import { runWarmup } from './warmup';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'stnas-search-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const lines: string[] = [];
function inputs(out: string): StageInputs {
  return {
    config: tinySupernet(['tdnn-C1D1Nln', 'tdnn-C2D1Nln']),
    data: path.join(corpus, 'train'),
    dev: path.join(corpus, 'dev'),
    lexicon: path.join(corpus, 'lang', 'lexicon.txt'),
    units: path.join(corpus, 'lang', 'units.txt'),
    out,
    seed: 1,
    batchSize: 2,
    lr: 1e-3,
    maxEpochs: 3,
    stepsPerEpoch: 1,
    checkpointEvery: 10,
    maxUtts: 8,
    progress: { write: () => {}, isTTY: false },
    log: (l) => lines.push(l),
  };
}
const search = { estimator: 'st' as const, heldOutRatio: 0.25, archLr: 5e-3 };

async function warm(name: string) {
  const out = path.join(tmp, name);
  await runWarmup({ ...inputs(out), maxEpochs: 1, minEpochs: 1, minLossImprove: 0.5 });
  return out;
}

describe('runSearch stop rule and warning', () => {
  it('stops as soon as the decision rule holds, before the cap, and does not warn', async () => {
    const out = await warm('decided');
    // Two candidates start at p = 0.5: a threshold of 0.3 with no stable epochs holds at once.
    const r = await runSearch({ ...inputs(out), ...search, decision: { stableEpochs: 0, threshold: 0.3 } });
    expect(r.loop.state.schedule.epoch).toBe(1);
    expect(r.derived!.stopReason).toMatch(/^the decision is stable: every node's largest p at least 0.3/);
    expect(r.derived!.warning).toBeUndefined();
    const arch = JSON.parse(readFileSync(path.join(out, 'search', 'architecture.json'), 'utf8'));
    expect(arch.stopReason).toBe(r.derived!.stopReason);
    expect(arch.warning).toBeUndefined();
    // The derived ops are the argmax of the p it reports.
    for (const [n, p] of r.derived!.probs.entries())
      expect(r.derived!.ops[n]).toBe(r.derived!.candidates![n]![p[0]! >= p[1]! ? 0 : 1]);
  }, 120_000);

  it('runs to the cap when undecided, logs entropy beside p, and warns naming every node', async () => {
    const out = await warm('undecided');
    lines.length = 0;
    const r = await runSearch({ ...inputs(out), ...search, maxEpochs: 2 });
    expect(r.loop.state.schedule).toMatchObject({ epoch: 2, reason: 'reached the maximum of 2 epochs' });
    const nodes = r.derived!.probs.length;
    expect(nodes).toBeGreaterThan(0);
    expect(r.derived!.warning).toMatch(
      /^the search did not decide: node 0 \(largest p 0\.5\d\d for tdnn-C\dD1Nln; uniform 0\.500; over all 4 paths the held-out loss is lowest with tdnn-C\dD1Nln, \d+\.\d\d with tdnn-C1D1Nln and \d+\.\d\d with tdnn-C2D1Nln\)/,
    );
    expect(r.derived!.warning!.match(/node \d/g)).toHaveLength(nodes);
    const arch = JSON.parse(readFileSync(path.join(out, 'search', 'architecture.json'), 'utf8'));
    expect(arch.warning).toBe(r.derived!.warning);
    expect(arch.entropy).toHaveLength(nodes);
    // Each step line holds p and its entropy per node: H(p) = -sum p ln p, near ln 2 here.
    const steps = readFileSync(path.join(out, 'search', 'steps.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(steps.map((s) => s.step)).toEqual([1, 2]);
    for (const s of steps)
      s.p.forEach((p: number[], n: number) => {
        expect(s.h[n]).toBeCloseTo(-p.reduce((h, x) => h + x * Math.log(x), 0), 5);
        expect(s.h[n]).toBeGreaterThan(0.69);
      });
    // p at every epoch's end in the history, and in the epoch log line.
    const hist = JSON.parse(readFileSync(path.join(out, 'search', 'history.json'), 'utf8'));
    expect(hist.history.map((e: EpochRecord) => e.archProbs!.length)).toEqual([nodes, nodes]);
    expect(
      lines.filter((l) => /^search epoch \d: .*; largest p \(entropy\) per node: 0\.5\d\d \(0\.69\)/.test(l)),
    ).toHaveLength(2);
  }, 120_000);

  it('stnas search prints the warning once, on stderr, and --json names the stop and the entropy', async () => {
    const out = path.join(tmp, 'cli');
    const config = path.join(tmp, 'tiny.json');
    writeFileSync(config, JSON.stringify(tinySupernet(['tdnn-C1D1Nln', 'tdnn-C2D1Nln'])));
    const common = [
      '--config',
      config,
      '--data',
      path.join(corpus, 'train'),
      '--dev',
      path.join(corpus, 'dev'),
    ];
    const sizes = [
      '--out',
      out,
      '--max-epochs',
      '1',
      '--steps-per-epoch',
      '1',
      '--max-utts',
      '8',
      '--batch-size',
      '2',
    ];
    const w = capture();
    expect(await main(['--backend', 'cpu', 'warmup', ...common, ...sizes, '--min-epochs', '1'], w.io)).toBe(
      0,
    );
    const c = capture();
    const code = await main(
      ['--backend', 'cpu', 'search', ...common, ...sizes, '--held-out-ratio', '0.25', '--json'],
      c.io,
    );
    expect(code, c.err.join('\n')).toBe(0);
    expect(c.err.filter((l) => l.includes('did not decide'))).toEqual([
      expect.stringMatching(
        /^warning: the search did not decide: node 0 \(largest p 0\.5\d\d for tdnn-C\dD1Nln; uniform 0\.500; over all 4 paths/,
      ),
    ]);
    const json = JSON.parse(c.out.at(-1)!);
    expect(json.stopReason).toBe('reached the maximum of 1 epochs');
    expect(json.pathCheck).toMatchObject({ split: 'held-out', paths: 4 });
    expect(json.entropy).toHaveLength(json.probs.length);
    expect(json.entropy[0]).toBeCloseTo(
      -json.probs[0].reduce((h: number, x: number) => h + x * Math.log(x), 0),
      6,
    );
  }, 120_000);
});

describe('runSearch path check', () => {
  it('ranks the derived architecture among all paths by their held-out loss, evaluated one by one', async () => {
    const out = await warm('paths');
    lines.length = 0;
    const r = await runSearch({ ...inputs(out), ...search, maxEpochs: 1 });
    const file = JSON.parse(readFileSync(path.join(out, 'search', 'paths.json'), 'utf8'));
    expect(file.paths).toHaveLength(4);
    // Independently: the search's final weights and the same held-out split, each path evaluated
    // on its own with the stage's loss (CTC, dropout off).
    const i = inputs(out);
    const d = await loadStageData(i);
    const model = buildSupernet(i.config, { seed: i.seed });
    try {
      const ckpt = path.join(out, 'search', 'checkpoint.ckpt');
      assignVariables(ckpt, readCheckpoint(ckpt).arrays, modelVariables(model));
      const held = d.train.subset(d.train.dataset.split(search.heldOutRatio, 0).heldOut.utts);
      const batches = [];
      for (let b = 0; b < held.numBatches; b++) batches.push(await held.batch(b));
      const names = model.nodes().map((n) => n.candidates.map((c) => c.name));
      const want: { ops: string[]; loss: number }[] = [];
      for (const choices of [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ]) {
        const loss = await evaluateLoss(model, batches, () => ({ mode: 'eval', choices, training: false }));
        want.push({ ops: choices.map((c, n) => names[n]![c]!), loss });
      }
      want.sort((a, b) => a.loss - b.loss);
      expect(file.paths.map((p: { ops: string[] }) => p.ops)).toEqual(want.map((w) => w.ops));
      // Losses are written to 6 significant digits.
      expect(file.paths.map((p: { loss: number }) => p.loss)).toEqual(
        want.map((w) => Number(w.loss.toPrecision(6))),
      );
      const own = want.findIndex((w) => w.ops.join() === r.derived!.ops.join());
      expect(r.derived!.pathCheck).toEqual({
        split: 'held-out',
        utterances: batches.reduce((n, b) => n + b.shape[0], 0),
        paths: 4,
        rank: 1 + want.filter((w) => w.loss < want[own]!.loss).length,
        loss: Number(want[own]!.loss.toPrecision(6)),
        best: want[0]!.ops,
        bestLoss: Number(want[0]!.loss.toPrecision(6)),
      });
      expect(file.derived).toEqual(r.derived!.ops);
      expect(file).toMatchObject({ rank: r.derived!.pathCheck!.rank, best: want[0]!.ops });
      expect(lines).toContain(
        `path check: evaluating 4 paths on ${r.derived!.pathCheck!.utterances} held-out utterances`,
      );
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^path check: the derived architecture ranks [1-4] of 4 paths by held-out loss/,
        ),
      );
    } finally {
      model.dispose();
      await d.close();
    }
  }, 120_000);

  it('skips a space above --path-check, and is off at 0', async () => {
    const out = await warm('no-paths');
    lines.length = 0;
    const r = await runSearch({ ...inputs(out), ...search, maxEpochs: 1, pathCheck: 3 });
    expect(r.derived!.pathCheck).toBeUndefined();
    expect(existsSync(path.join(out, 'search', 'paths.json'))).toBe(false);
    expect(lines).toContain('path check skipped: the space has 4 paths, more than 3');
    expect(r.derived!.warning).not.toMatch(/over all/);
    const off = await warm('paths-off');
    lines.length = 0;
    const r0 = await runSearch({ ...inputs(off), ...search, maxEpochs: 1, pathCheck: 0 });
    expect(r0.derived!.pathCheck).toBeUndefined();
    expect(lines.filter((l) => l.startsWith('path check'))).toEqual([]);
  }, 120_000);
});

describe('runSearch with the local expectation gradient', () => {
  it('takes architecture steps with --estimator leg and records it', async () => {
    const out = await warm('leg');
    const r = await runSearch({ ...inputs(out), ...search, estimator: 'leg', archLr: 0.05, maxEpochs: 1 });
    expect(r.derived!.estimator).toBe('leg');
    // One step of Adam at lr 0.05 moves each logit by 0.05: p leaves 0.5 by about 0.025.
    for (const p of r.derived!.probs) expect(Math.abs(p[0]! - 0.5)).toBeCloseTo(0.025, 2);
    const arch = JSON.parse(readFileSync(path.join(out, 'search', 'architecture.json'), 'utf8'));
    expect(arch.estimator).toBe('leg');
  }, 120_000);
});

// The search's stop rule and its "did not decide" warning, end to end on a tiny supernet over the
// real corpus (cpu backend): pure rules are tested in search-health; this checks the stage wires them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main';
import { capture, corpus, tinySupernet } from '../test-support';
import type { EpochRecord } from '../training/train-loop';
import { runSearch } from './search';
import type { StageInputs } from './stage-common';
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
      /^the search did not decide: node 0 \(largest p 0\.5\d\d for tdnn-C\dD1Nln; uniform 0\.500\)/,
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
        /^warning: the search did not decide: node 0 \(largest p 0\.5\d\d for tdnn-C\dD1Nln; uniform 0\.500\)/,
      ),
    ]);
    const json = JSON.parse(c.out.at(-1)!);
    expect(json.stopReason).toBe('reached the maximum of 1 epochs');
    expect(json.entropy).toHaveLength(json.probs.length);
    expect(json.entropy[0]).toBeCloseTo(
      -json.probs[0].reduce((h: number, x: number) => h + x * Math.log(x), 0),
      6,
    );
  }, 120_000);
});

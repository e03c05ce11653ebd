// The whole pipeline on the bundled corpus, a few steps per stage (`stnas demo --quick`), through the
// command line in-process; then `stnas decode --json` on the model it names.
/// <reference lib="dom" />
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readArk } from '@stnas/data-wsj';
import { DEMO_CONFIG } from '@stnas/search-space';
import { afterAll, describe, expect, it } from 'vitest';
import { CHROMIUM, needs, skipWithout } from '../../../../test/system-tools';
import { main } from '../cli/main';
import { capture, corpus, launchChromium } from '../test-support';
import { baselineOps, formatResults } from './demo';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'stnas-demo-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
/** The demo's run directory, which the render check reads after the run. */
const out = path.join(tmp, 'run');

describe('stnas demo --quick', () => {
  it('runs warmup, search, four rows of retrains and decodes, ending with the JSON line', async () => {
    const c = capture();
    const code = await main(['--backend', 'wasm', 'demo', '--quick', '--out', out, '--json'], c.io);
    expect(code, c.err.join('\n')).toBe(0);
    const last = JSON.parse(c.out.at(-1)!) as {
      results: {
        name: string;
        architecture: string;
        params: number;
        testPer: number;
        testWer: number;
        sameAs?: string;
      }[];
      model: string;
      architectureProbs: number[][];
      pathCheck: { paths: number; rank: number; loss: number; best: string[]; bestLoss: number };
    };
    expect(Object.keys(last).sort()).toEqual(['architectureProbs', 'model', 'pathCheck', 'results']);
    // The 16 paths of the space ranked by held-out loss (OUT/search/paths.json): the derived
    // architecture's rank and loss are its entry there, printed under the table and in the report.
    const paths = JSON.parse(readFileSync(path.join(out, 'search', 'paths.json'), 'utf8'));
    expect(paths.paths).toHaveLength(16);
    const own = paths.paths.findIndex(
      (p: { ops: string[] }) => p.ops.join(' ') === last.results[0]!.architecture,
    );
    expect(last.pathCheck).toMatchObject({
      paths: 16,
      loss: paths.paths[own].loss,
      best: paths.paths[0].ops,
    });
    expect(paths.paths[last.pathCheck.rank - 1].loss).toBe(last.pathCheck.loss);
    const line = c.out.find((l) => l.startsWith('path check: the derived architecture ranks'));
    expect(line).toContain(`ranks ${last.pathCheck.rank} of 16 paths by held-out loss`);
    expect(last.results.map((r) => r.name)).toEqual([
      'stnas-search (leg)',
      'baseline-small (tdnn-C1D1Nln x4)',
      'baseline-large (tdnn-C2D2Nln x4)',
      'random (seed 0)',
    ]);
    expect(last.results[1]!.architecture).toBe(Array(4).fill('tdnn-C1D1Nln').join(' '));
    expect(last.results[2]!.architecture).toBe(Array(4).fill('tdnn-C2D2Nln').join(' '));
    for (const [k, r] of last.results.entries()) {
      const earlier = last.results.slice(0, k).find((e) => e.architecture === r.architecture && !e.sameAs);
      // A row repeating an earlier architecture is that model, not trained twice.
      expect(r.sameAs).toBe(earlier?.name);
      if (earlier) expect([r.testPer, r.testWer]).toEqual([earlier.testPer, earlier.testWer]);
      expect(Object.keys(r).sort()).toEqual(
        ['architecture', 'name', 'params', 'testPer', 'testWer', ...(earlier ? ['sameAs'] : [])].sort(),
      );
      expect(r.testPer).toBeGreaterThanOrEqual(0);
      // The word 3-gram search's WER, a rate over the reference words.
      expect(r.testWer).toBeGreaterThanOrEqual(0);
      expect(r.testWer).toBeLessThanOrEqual(1.5);
      expect(r.architecture.split(' ')).toHaveLength(4);
      expect(existsSync(path.join(out, ['retrain', 'baseline-small', 'baseline-large', 'random'][k]!))).toBe(
        !earlier,
      );
    }
    // p of the 4 searched nodes when derived; the searched ops are their argmax.
    expect(last.architectureProbs).toHaveLength(4);
    const cands = (DEMO_CONFIG.candidate as { base: string[] }).base;
    last.architectureProbs.forEach((p, n) => {
      expect(p).toHaveLength(cands.length);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(last.results[0]!.architecture.split(' ')[n]).toBe(cands[p.indexOf(Math.max(...p))]);
    });
    // One quick search epoch cannot decide: the warning names the nodes, once, and the report shows it.
    const warnings = c.err.filter((l) =>
      l.startsWith('warning: the search did not decide: node 0 (largest p'),
    );
    expect(warnings).toHaveLength(1);
    // Parameter counts in closed form: TDNN (2C+1)*in*out + out + LayerNorm 2*out; the fixed stride-3
    // TDNN 3*128*128 + 3*128; the output linear 128*41 + 41.
    const tdnn = (c: number, i: number) => (2 * c + 1) * i * 128 + 3 * 128;
    const fixed = 3 * 128 * 128 + 3 * 128 + 128 * 41 + 41;
    expect(last.results[1]!.params).toBe(tdnn(1, 120) + 3 * tdnn(1, 128) + fixed);
    expect(last.results[2]!.params).toBe(tdnn(2, 120) + 3 * tdnn(2, 128) + fixed);
    expect(path.isAbsolute(last.model)).toBe(true);
    expect(existsSync(path.join(last.model, 'model.json'))).toBe(true);
    // The table is printed above the JSON line, searched model first.
    expect(c.out.join('\n')).toContain(formatResults(last.results));
    expect(c.err.some((l) => /^derived architecture: (tdnn-C\dD\dNln ?){4}$/.test(l))).toBe(true);
    // The run directory holds every stage and a report with the architecture drawing.
    for (const f of [
      'warmup/best.ckpt',
      'search/architecture.json',
      'search/steps.jsonl',
      'retrain/weights.ckpt',
      'baseline-small/model.json',
      'results.json',
      'words.3g.arpa',
      'word-lm-tuning.json',
    ]) {
      expect(existsSync(path.join(out, f)), f).toBe(true);
    }
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('id="architecture"');
    expect(html).toContain('id="arch-probs-node-3"');
    expect(html).toContain('id="search-warning"');
    expect(html).toContain(`ranks ${last.pathCheck.rank} of 16 paths by held-out loss`);
    // The step log holds p and the entropy of every node at every step.
    const step1 = JSON.parse(readFileSync(path.join(out, 'search', 'steps.jsonl'), 'utf8').split('\n')[0]!);
    expect(Object.keys(step1).sort()).toEqual(['h', 'p', 'step']);
    expect(step1.h).toHaveLength(4);
    expect(step1.h[0]).toBeCloseTo(-step1.p[0].reduce((h: number, x: number) => h + x * Math.log(x), 0), 4);

    // Decode the searched model's test set through the CLI, machine-readable.
    const d = capture();
    expect(
      await main(
        [
          '--backend',
          'wasm',
          'decode',
          '--model',
          last.model,
          '--data',
          path.join(corpus, 'test'),
          '--max-utts',
          '24',
          '--json',
        ],
        d.io,
      ),
    ).toBe(0);
    const dec = JSON.parse(d.out[0]!);
    expect(Object.keys(dec).sort()).toEqual(['oov', 'per', 'utterances']);
    expect(dec.utterances).toBe(24);
    expect(dec.oov).toBe(0);
    expect(dec.per).toBeCloseTo(last.results[0]!.testPer, 10);

    // Beam search with a phone bigram LM over the unit names, and the logits as a Kaldi ark.
    const units = readFileSync(path.join(corpus, 'lang', 'units.txt'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(' ')[0]!);
    const lm = path.join(tmp, 'phone.arpa');
    const uni = units.map((u) => `${(-Math.log10(units.length + 1)).toFixed(4)} ${u} 0.0000`);
    writeFileSync(
      lm,
      [
        '\\data\\',
        `ngram 1=${units.length + 1}`,
        '',
        '\\1-grams:',
        ...uni,
        `${(-Math.log10(units.length + 1)).toFixed(4)} </s>`,
        '',
        '\\end\\',
        '',
      ].join('\n'),
    );
    const ark = path.join(tmp, 'logits.ark');
    const b = capture();
    const args = [
      '--backend',
      'wasm',
      'decode',
      '--model',
      last.model,
      '--data',
      path.join(corpus, 'test'),
      '--max-utts',
      '6',
    ];
    expect(
      await main(
        [...args, '--beam', '4', '--lm', lm, '--lm-weight', '0.3', '--write-logits', ark, '--json'],
        b.io,
      ),
      b.err.join('\n'),
    ).toBe(0);
    expect(JSON.parse(b.out[0]!).utterances).toBe(6);
    const entries = [];
    for await (const e of readArk(ark)) entries.push(e);
    expect(entries).toHaveLength(6);
    for (const e of entries) {
      const m = e.value as { rows: number; cols: number; data: Float32Array };
      expect(m.cols).toBe(41);
      for (let r = 0; r < m.rows; r++) {
        // Rows are log-softmax: logsumexp = 0, no -inf (written as -1e16 at worst).
        let s = 0;
        for (let c = 0; c < m.cols; c++) {
          const v = m.data[r * m.cols + c]!;
          expect(v).toBeGreaterThanOrEqual(-1e16);
          s += Math.exp(v);
        }
        expect(s).toBeCloseTo(1, 4);
      }
    }
    const lmBad = capture();
    expect(await main([...args, '--lm', lm], lmBad.io)).toBe(4);
    expect(lmBad.err[0]).toMatch(/--lm needs beam search/);

    // A rerun resumes every finished stage instead of training again, and prints the same results.
    const again = capture();
    expect(await main(['--backend', 'wasm', 'demo', '--quick', '--out', out, '--json'], again.io)).toBe(0);
    expect(JSON.parse(again.out.at(-1)!)).toEqual(last);
  }, 300_000);

  it.skipIf(skipWithout(CHROMIUM))(
    `draws the report in headless Chromium ${needs(CHROMIUM, 'report-render')}`,
    async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        await page.goto(pathToFileURL(path.join(out, 'report.html')).href);
        const seen = await page.evaluate(() => ({
          ops: document.querySelectorAll('#architecture rect.op').length,
          probLines: document.querySelectorAll('#arch-probs polyline, #arch-probs circle.series').length,
          lossCharts: document.querySelectorAll('#loss-curves svg').length,
          loss: document.querySelectorAll('#loss-curves .series').length,
          entropyLines: document.querySelectorAll('#arch-entropy polyline').length,
          warning: document
            .querySelector('#search-warning')
            ?.textContent?.startsWith('Warning: the search did not decide'),
          rows: document.querySelectorAll('#results tbody tr').length,
        }));
        // One loss chart (train and dev) per trained stage: warmup, search and each model trained.
        const stages = readdirSync(out).filter((d) => existsSync(path.join(out, d, 'history.json'))).length;
        expect(stages).toBeGreaterThanOrEqual(5);
        // One p line per candidate of each of the 4 searched nodes.
        const candidates = (DEMO_CONFIG.candidate as { base: string[] }).base.length;
        expect(seen).toEqual({
          ops: 4,
          probLines: 4 * candidates,
          lossCharts: stages,
          loss: 2 * stages,
          entropyLines: 4,
          warning: true,
          rows: 4,
        });
      } finally {
        await browser.close();
      }
    },
  );
});

describe('demo helpers', () => {
  it('picks the smallest and largest TDNN by weights, then context', () => {
    expect(baselineOps(['tdnn-C2D1Nln', 'tdnn-C1D2Nln', 'tdnn-C2D2Nln', 'tdnn-C1D1Nln'])).toEqual({
      small: 'tdnn-C1D1Nln',
      large: 'tdnn-C2D2Nln',
    });
  });
});

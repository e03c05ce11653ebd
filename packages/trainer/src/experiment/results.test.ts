/// <reference lib="dom" />
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, needs, skipWithout } from '../../../../test/system-tools';
import { testTempDir } from '../../../../test/temp-dir';
import { launchChromium } from '../test-support';
import { renderExperimentReport } from './experiment-report';
import { jobIds } from './job-graph';
import { jobDir, writeJobResult } from './job-store';
import { parsePlan } from './plan';
import { collectResults, formatExperimentResults } from './results';
import { SPACE } from './test-space';

const C11 = 'tdnn-C1D1Nln';
const C22 = 'tdnn-C2D2Nln';
const plan = parsePlan(
  JSON.stringify({
    config: SPACE,
    search: { seeds: [1, 2] },
    baselines: [
      { name: 'small', ops: C11 },
      { name: 'large', ops: C22 },
    ],
    retrain: { seeds: [0, 1] },
    bootstrap: { samples: 500, seed: 9 },
  }),
  '/plans/p.json',
);

/** A finished experiment: searches found `large` (seed 1) and a mix (seed 2); errors per utterance given. */
function fakeExperiment(wer = false) {
  const dir = testTempDir('stnas-results-');
  const mix = [C11, C22, C11, C22];
  const large = Array(4).fill(C22);
  for (const [seed, ops] of [
    [1, large],
    [2, mix],
  ] as const) {
    const d = path.join(jobDir(dir, jobIds.search('st', seed)), 'search');
    mkdirSync(d, { recursive: true });
    writeFileSync(path.join(d, 'architecture.json'), JSON.stringify({ ops }));
  }
  const refs = [10, 20, 10];
  // utterance errors by architecture and seed
  const errors: Record<string, number[][]> = {
    [large.join(' ')]: [
      [1, 2, 1],
      [2, 2, 0],
    ],
    [mix.join(' ')]: [
      [2, 3, 1],
      [2, 4, 2],
    ],
    [Array(4).fill(C11).join(' ')]: [
      [4, 6, 3],
      [5, 6, 3],
    ],
  };
  const params: Record<string, number> = {
    [large.join(' ')]: 300,
    [mix.join(' ')]: 250,
    [Array(4).fill(C11).join(' ')]: 200,
  };
  for (const [arch, bySeed] of Object.entries(errors)) {
    const ops = arch.split(' ');
    bySeed.forEach((errs, seed) => {
      writeJobResult(dir, jobIds.retrain(ops, seed), { ops, seed, params: params[arch], model: 'x' });
      const total = errs.reduce((s, x) => s + x, 0);
      writeJobResult(dir, jobIds.decode(ops, seed), {
        retrain: jobIds.retrain(ops, seed),
        per: total / 40,
        ...(wer ? { wer: total / 20 } : {}),
        errors: total,
        refPhones: 40,
        utterances: errs.map((e, u) => ({ key: `u${u}`, errors: e, refPhones: refs[u] })),
      });
    });
  }
  return dir;
}

describe('collectResults', () => {
  it('groups runs, takes mean and sd over them and bootstraps searched against each group', () => {
    const dir = fakeExperiment();
    const r = collectResults(plan, dir);
    expect(r.groups.map((g) => [g.name, g.kind, g.runs.length])).toEqual([
      ['searched-st', 'searched', 4],
      ['small', 'baseline', 2],
      ['large', 'baseline', 2],
    ]);
    const st = r.groups[0]!;
    // runs: large s0 4/40, large s1 4/40, mix s0 6/40, mix s1 8/40
    expect(st.runs.map((x) => x.testPer)).toEqual([0.1, 0.1, 0.15, 0.2]);
    expect(st.runs.map((x) => x.searchSeed)).toEqual([1, 1, 2, 2]);
    expect(st.meanPer).toBeCloseTo(0.1375, 12);
    expect(st.sdPer).toBeCloseTo(Math.sqrt((0.0375 ** 2 * 2 + 0.0125 ** 2 + 0.0625 ** 2) / 3), 12);
    expect(st.meanParams).toBe(275);
    expect(r.groups[1]!.meanPer).toBeCloseTo(27 / 80, 12);
    expect(r.comparisons.map((c) => [c.a, c.b])).toEqual([
      ['searched-st', 'small'],
      ['searched-st', 'large'],
    ]);
    // searched mean errors per utterance (1.75, 2.75, 1) against small's (4.5, 6, 3): 11 fewer of 40.
    expect(r.comparisons[0]!.perDiff).toBeCloseTo((5.5 - 13.5) / 40, 12);
    expect(r.comparisons[0]!.ci95[1]).toBeLessThan(0);
    expect(r.comparisons[1]!.perDiff).toBeCloseTo((5.5 - 4) / 40, 12);
    expect(collectResults(plan, dir)).toEqual(r);
    const table = formatExperimentResults(r);
    expect(table).toContain('searched-st  searched     4     275         13.75% ± 4.79');
    expect(table).toContain('searched-st  small               -20.00  [-27.50, -16.25]      1.000');
  });
});

describe('collectResults with a word LM', () => {
  it('adds mean and sd of test WER to every group and a WER column to the table', () => {
    const dir = fakeExperiment(true);
    const r = collectResults(plan, dir);
    expect(r.groups[0]!.runs.map((x) => x.testWer)).toEqual([0.2, 0.2, 0.3, 0.4]);
    expect(r.groups[0]!.meanWer).toBeCloseTo(0.275, 12);
    expect(r.groups[2]!.sdWer).toBe(0);
    expect(formatExperimentResults(r).split('\n')[0]).toMatch(
      /test PER \(mean ± sd\) {2}test WER \(mean ± sd\)$/,
    );
    expect(collectResults(plan, fakeExperiment()).groups[0]!.meanWer).toBeUndefined();
  });
});

describe.skipIf(skipWithout(CHROMIUM))(
  `experiment report in headless Chromium ${needs(CHROMIUM, 'report-render')}`,
  () => {
    it('draws one dot per run, the searched ones marked, and both tables', async () => {
      const dir = fakeExperiment();
      const file = path.join(dir, 'report.html');
      const html = renderExperimentReport(collectResults(plan, dir), 'experiment <test>');
      expect(html).not.toMatch(/<script|src=|href=|@import|url\(http/);
      writeFileSync(file, html);
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(pathToFileURL(file).href);
        const found = await page.evaluate(() => {
          const dots = Array.from(document.querySelectorAll('#scatter circle.run'));
          const svg = document.querySelector('#scatter svg')!.getBoundingClientRect();
          return {
            title: document.title,
            dots: dots.length,
            searched: document.querySelectorAll('#scatter circle.run.searched').length,
            inside: dots.every((d) => {
              const b = d.getBoundingClientRect();
              return (
                b.width > 5 &&
                b.left >= svg.left &&
                b.right <= svg.right &&
                b.top >= svg.top &&
                b.bottom <= svg.bottom
              );
            }),
            // the y axis points up: the higher PER of `small` puts its dots above those of `large`
            cys: dots.map((d) => [Number(d.getAttribute('cy')), d.getAttribute('data-group')]),
            groupRows: document.querySelectorAll('#groups tbody tr').length,
            compRows: document.querySelectorAll('#comparisons tbody tr').length,
          };
        });
        expect(found.title).toBe('experiment <test>');
        expect(found.dots).toBe(8);
        expect(found.searched).toBe(4);
        expect(found.inside).toBe(true);
        const smallY = found.cys.filter(([, g]) => g === 'small').map(([y]) => y as number);
        const largeY = found.cys.filter(([, g]) => g === 'large').map(([y]) => y as number);
        expect(Math.max(...smallY)).toBeLessThan(Math.min(...largeY));
        expect(found.groupRows).toBe(3);
        expect(found.compRows).toBe(2);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    });
  },
);

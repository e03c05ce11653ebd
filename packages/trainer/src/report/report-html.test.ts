/// <reference lib="dom" />
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, needs, skipWithout } from '../../../../test/system-tools';
import { launchChromium } from '../test-support';
import { escapeHtml, type ReportData, renderReport } from './report-html';

const data: ReportData = {
  title: 'stnas demo <report>',
  meta: ['run on a test machine'],
  architecture: {
    ops: ['tdnn-C1D1Nln', 'tdnn-C2D2Nln', 'tdnn-C1D2Nln', 'tdnn-C2D1Nln'],
    fixed: [{ after: 2, op: 'tdnn-C1S3D1Nln' }],
    inputDim: 120,
    outputDim: 72,
  },
  archProbs: {
    steps: [0, 1, 2, 3],
    nodes: Array.from({ length: 4 }, (_, n) => ({
      candidates: ['a', 'b', 'c'],
      probs: [0, 1, 2, 3].map((s) => [
        1 / 3 + 0.05 * s * (n % 2 ? 1 : -1),
        1 / 3,
        1 / 3 - 0.05 * s * (n % 2 ? 1 : -1),
      ]),
    })),
  },
  curves: [
    {
      name: 'warmup dev',
      points: [
        { x: 1, y: 4 },
        { x: 2, y: 3 },
      ],
    },
    { name: 'retrain dev', points: [{ x: 1, y: 3.5 }] },
  ],
  results: [
    { name: 'searched', architecture: 'C1D1 C2D2 C1D2 C2D1', params: 123456, testPer: 0.3125 },
    { name: 'baseline-small', architecture: 'C1D1 x4', params: 100000, testPer: 0.4 },
  ],
};

describe('renderReport', () => {
  it('is self-contained and escapes text', () => {
    const html = renderReport(data);
    expect(html).not.toMatch(/<script|src=|href=|@import|url\(http/);
    expect(html).toContain('<title>stnas demo &#60;report&#62;</title>');
    expect(escapeHtml(`<a href="x">'&`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;');
    expect(html).toContain('123,456');
    expect(html).toContain('31.25%');
  });

  it('says what is missing instead of drawing empty charts', () => {
    const html = renderReport({ title: 't' });
    expect(html.match(/class="missing"/g)).toHaveLength(3);
    expect(html).not.toContain('<svg');
  });
});

describe.skipIf(skipWithout(CHROMIUM))(
  `report in headless Chromium ${needs(CHROMIUM, 'report-render')}`,
  () => {
    it('renders the architecture drawing, the probability charts, the loss curves and the table', async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'stnas-report-'));
      const file = path.join(dir, 'report.html');
      writeFileSync(file, renderReport(data));
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        page.on('pageerror', (e) => errors.push(e.message));
        const requests: string[] = [];
        page.on('request', (r) => requests.push(r.url()));
        await page.goto(pathToFileURL(file).href);
        const found = await page.evaluate(() => {
          const box = (el: Element | null) => {
            const r = el?.getBoundingClientRect();
            return r ? { w: r.width, h: r.height } : null;
          };
          const arch = document.querySelector('#architecture');
          return {
            arch: box(arch),
            opBoxes: Array.from(document.querySelectorAll('#architecture rect.op')).map((r) => box(r)!.w),
            labels: Array.from(document.querySelectorAll('#architecture text')).map((t) => t.textContent),
            probCharts: document.querySelectorAll('#arch-probs svg').length,
            probLines: Array.from(document.querySelectorAll('#arch-probs polyline')).map((p) =>
              (p as SVGPolylineElement).getTotalLength(),
            ),
            lossSeries: document.querySelectorAll('#loss-curves .series').length,
            rows: document.querySelectorAll('#results tbody tr').length,
          };
        });
        expect(found.arch!.w).toBeGreaterThan(100);
        expect(found.arch!.h).toBeGreaterThan(200);
        expect(found.opBoxes).toHaveLength(4);
        for (const w of found.opBoxes) expect(w).toBeGreaterThan(100);
        expect(found.labels).toEqual([
          'input (120)',
          'node 0: tdnn-C1D1Nln',
          'node 1: tdnn-C2D2Nln',
          'tdnn-C1S3D1Nln',
          'node 2: tdnn-C1D2Nln',
          'node 3: tdnn-C2D1Nln',
          'linear + softmax (72)',
        ]);
        expect(found.probCharts).toBe(4);
        expect(found.probLines).toHaveLength(12);
        for (const len of found.probLines) expect(len).toBeGreaterThan(50);
        expect(found.lossSeries).toBe(2);
        expect(found.rows).toBe(2);
        expect(errors).toEqual([]);
        expect(requests).toEqual([pathToFileURL(file).href]);
      } finally {
        await browser.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);

describe('search health and stages in the report', () => {
  const steps = Array.from({ length: 94 }, (_, s) => s);
  const health: ReportData = {
    title: 't',
    warnings: ['the search did not decide: node 0 (largest p 0.272 for a; uniform 0.333) is below p 0.6'],
    archProbs: {
      steps,
      nodes: [
        { candidates: ['a', 'b', 'c'], probs: steps.map(() => [1 / 3, 1 / 3, 1 / 3]) },
        {
          candidates: ['a', 'b', 'c'],
          probs: steps.map(() => [0.2, 0.2, 0.6]),
          entropy: steps.map((s) => 1 - s / 100),
        },
      ],
    },
    curves: [
      { name: 'warmup dev', stage: 'warmup', points: [1, 2, 3].map((x) => ({ x, y: 100 - x })) },
      { name: 'warmup train', stage: 'warmup', points: [1, 2, 3].map((x) => ({ x, y: 90 - x })) },
      { name: 'retrain dev', stage: 'retrain', points: [1, 2].map((x) => ({ x, y: 20 - x })) },
      { name: 'random dev', points: [{ x: 1, y: 30 }] },
    ],
    results: [
      { name: 'searched', architecture: 'C2 C2', params: 10, testPer: 0.1 },
      { name: 'large', architecture: 'C2 C2', params: 10, testPer: 0.1, sameAs: 'searched' },
      { name: 'random', architecture: 'C1 C1', params: 9, testPer: 0.2 },
    ],
  };
  const html = renderReport(health);
  const svg = (id: string) => html.match(new RegExp(`<svg id="${id}"[\\s\\S]*?</svg>`))?.[0] ?? '';
  const xTicks = (s: string) => [...s.matchAll(/class="x-tick"[^>]*>([^<]*)</g)].map((m) => m[1]);

  it('shows the warning once, at the top', () => {
    expect(html.match(/id="search-warning"/g)).toHaveLength(1);
    expect(html.indexOf('search-warning')).toBeLessThan(html.indexOf('<h2>'));
    expect(html).toContain('the search did not decide: node 0 (largest p 0.272 for a; uniform 0.333)');
    expect(renderReport({ ...health, warnings: [] })).not.toContain('search-warning');
  });

  it('labels step axes with integers only', () => {
    expect(xTicks(svg('arch-probs-node-0'))).toEqual(['0', '20', '40', '60', '80']);
    expect(xTicks(svg('arch-entropy-chart'))).toEqual(Array.from({ length: 10 }, (_, k) => String(10 * k)));
    for (const t of xTicks(html)) expect(t).toMatch(/^\d+$/);
    // Round values on the y axis print as they are.
    const yTicks = [...svg('arch-probs-node-0').matchAll(/text-anchor="end" font-size="10">([^<]*)</g)];
    expect(yTicks.map((m) => m[1])).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
  });

  it('draws the entropy of each node, from the log or from p', () => {
    const e = svg('arch-entropy-chart');
    expect(e.match(/<polyline/g)).toHaveLength(2);
    // y axis 0..ln 3; node 0 is uniform, so its line runs along the top (y = T = 10).
    const node0 = e.match(/<polyline[^>]*points="([^"]*)"/)![1]!.split(' ');
    for (const pt of node0) expect(Number(pt.split(',')[1])).toBeCloseTo(10, 1);
  });

  it('draws one loss chart per stage, each on its own epoch axis', () => {
    expect(svg('loss-warmup').match(/class="series"/g)).toHaveLength(2);
    // The title names the stage; the legend names the curve.
    expect(svg('loss-warmup')).toContain('font-weight="bold">warmup</text>');
    expect(
      [...svg('loss-warmup').matchAll(/font-size="10">(dev|train|warmup dev)<\/text>/g)].map((m) => m[1]),
    ).toEqual(['dev', 'train']);
    expect(xTicks(svg('loss-warmup'))).toEqual(['1', '2', '3']);
    expect(xTicks(svg('loss-retrain'))).toEqual(['1', '2']);
    expect(svg('loss-random')).toContain('<circle class="series"');
    expect(html.match(/<svg id="loss-/g)).toHaveLength(3);
  });

  it('prints a repeated row as "same as searched"', () => {
    expect(html).toContain('<td class="num">same as searched</td>');
    expect(html.match(/10\.00%/g)).toHaveLength(1);
  });

  it('adds a WER column only when some row has a word-LM WER', () => {
    expect(html).not.toContain('test WER');
    const rows = health.results!.map((r, k) => (r.sameAs ? r : { ...r, testWer: [0.0321, 0, 0.25][k] }));
    const words = renderReport({ ...health, results: rows });
    expect(words).toContain('<th>test WER (word LM)</th>');
    const cells = [
      ...words.matchAll(/<tr><td>[^<]*<\/td>(?:<td[^>]*>.*?<\/td>){3}<td class="num">([^<]*)<\/td><\/tr>/g),
    ];
    expect(cells.map((m) => m[1])).toEqual(['3.21%', '', '25.00%']);
  });
});

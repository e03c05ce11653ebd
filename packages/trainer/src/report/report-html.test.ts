/// <reference lib="dom" />
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from '../test-support';
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

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)(`report in headless Chromium (${CHROMIUM})`, () => {
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
});

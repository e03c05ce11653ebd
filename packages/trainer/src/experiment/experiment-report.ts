import path from 'node:path';
import { axisTicks } from '../report/chart-ticks';
import { escapeHtml } from '../report/report-html';
import { writeFileAtomic } from '../training/checkpoint';
import type { ExperimentResults } from './results';

const W = 640;
const H = 400;
const M = { left: 70, right: 40, top: 20, bottom: 50 };

/**
 * The PER-against-params scatter: one dot per run (class `run`, and `searched` for searched runs,
 * drawn as larger filled dots), coloured by group, with a legend. Self-contained SVG.
 */
export function scatterSvg(r: ExperimentResults): string {
  const runs = r.groups.flatMap((g, gi) => g.runs.map((run) => ({ g, gi, run })));
  if (runs.length === 0) return '<p class="missing">no runs</p>';
  const xs = runs.map((d) => d.run.params);
  const ys = runs.map((d) => d.run.testPer);
  const pad = (lo: number, hi: number) => {
    const span = hi - lo || Math.max(Math.abs(hi), 1) * 0.1;
    return [lo - span * 0.08, hi + span * 0.08] as const;
  };
  const [x0, x1] = pad(Math.min(...xs), Math.max(...xs));
  const [y0, y1] = pad(Math.min(...ys), Math.max(...ys));
  const px = (x: number) => M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (y: number) => H - M.bottom - ((y - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const colours = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
  const colour = (gi: number) => colours[gi % colours.length]!;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H + 24 * r.groups.length}" role="img">`,
  );
  parts.push(
    `<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#999"/>`,
  );
  for (const t of axisTicks(x0, x1, { maxTicks: 5, integer: true })) {
    parts.push(
      `<text class="tick" x="${px(t).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle" font-size="11">${Math.round(t).toLocaleString('en-US')}</text>`,
    );
  }
  for (const t of axisTicks(y0, y1, { maxTicks: 6 })) {
    parts.push(
      `<text class="tick" x="${M.left - 6}" y="${(py(t) + 4).toFixed(1)}" text-anchor="end" font-size="11">${(t * 100).toFixed(1)}%</text>`,
    );
  }
  parts.push(
    `<text x="${(W + M.left) / 2}" y="${H - 10}" text-anchor="middle" font-size="12">parameters</text>`,
    `<text x="14" y="${H / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 14 ${H / 2})">test PER</text>`,
  );
  // Searched runs last, so that a dot of another group at the same place does not hide them.
  const order = [
    ...runs.filter((d) => d.g.kind !== 'searched'),
    ...runs.filter((d) => d.g.kind === 'searched'),
  ];
  for (const { g, gi, run } of order) {
    const searched = g.kind === 'searched';
    const title = `${g.name} (${g.kind}) seed ${run.seed}${run.searchSeed === undefined ? '' : `, search seed ${run.searchSeed}`}: ${run.architecture}; ${run.params.toLocaleString('en-US')} params, PER ${(run.testPer * 100).toFixed(2)}%`;
    parts.push(
      `<circle class="run${searched ? ' searched' : ''}" data-group="${escapeHtml(g.name)}" cx="${px(run.params).toFixed(1)}" cy="${py(run.testPer).toFixed(1)}" r="${searched ? 7 : 5}" fill="${searched ? colour(gi) : 'white'}" stroke="${colour(gi)}" stroke-width="2"><title>${escapeHtml(title)}</title></circle>`,
    );
  }
  r.groups.forEach((g, gi) => {
    const y = H + 12 + 24 * gi;
    const searched = g.kind === 'searched';
    parts.push(
      `<circle class="legend" cx="${M.left + 8}" cy="${y}" r="${searched ? 7 : 5}" fill="${searched ? colour(gi) : 'white'}" stroke="${colour(gi)}" stroke-width="2"/>`,
      `<text x="${M.left + 22}" y="${y + 4}" font-size="12">${escapeHtml(`${g.name} (${g.kind}, ${g.runs.length} run${g.runs.length === 1 ? '' : 's'})`)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/** The experiment report: the groups table, the comparisons with their intervals, and the scatter. */
export function renderExperimentReport(r: ExperimentResults, title = 'stnas experiment'): string {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const pts = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}`;
  const wer = r.groups.some((g) => g.meanWer !== undefined);
  const werCell = (g: ExperimentResults['groups'][number]) =>
    wer
      ? `<td class="n">${g.meanWer === undefined ? '-' : `${pct(g.meanWer)} ± ${(g.sdWer! * 100).toFixed(2)}`}</td>`
      : '';
  const groupRows = r.groups
    .map(
      (g) =>
        `<tr><td>${escapeHtml(g.name)}</td><td>${g.kind}</td><td>${g.runs.length}</td><td class="n">${Math.round(g.meanParams).toLocaleString('en-US')}</td><td class="n">${pct(g.meanPer)} ± ${(g.sdPer * 100).toFixed(2)}</td>${werCell(g)}</tr>`,
    )
    .join('\n');
  const compRows = r.comparisons
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.a)}</td><td>${escapeHtml(c.b)}</td><td class="n">${pts(c.perDiff)}</td><td class="n">[${pts(c.ci95[0])}, ${pts(c.ci95[1])}]</td><td class="n">${c.pImprove.toFixed(3)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border: 1px solid #ccc; padding: 4px 8px; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.missing { color: #a00; }
</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<h2>Groups</h2>
<table id="groups"><thead><tr><th>group</th><th>kind</th><th>runs</th><th>params (mean)</th><th>test PER (mean ± sd)</th>${wer ? '<th>test WER (mean ± sd)</th>' : ''}</tr></thead>
<tbody>
${groupRows}
</tbody></table>
<h2>Searched against each group</h2>
<p>Paired bootstrap over ${r.testUtterances} test utterances (Bisani &amp; Ney 2004), ${r.bootstrap.samples} draws, seed ${r.bootstrap.seed}; differences in PER points, negative means the searched group makes fewer errors.</p>
<table id="comparisons"><thead><tr><th>searched</th><th>against</th><th>PER diff</th><th>95% CI</th><th>P(better)</th></tr></thead>
<tbody>
${compRows}
</tbody></table>
<h2>Test PER against parameters</h2>
<div id="scatter">${scatterSvg(r)}</div>
</body></html>
`;
}

/** Writes `DIR/report.html` atomically; returns its path. */
export function writeExperimentReport(dir: string, r: ExperimentResults): string {
  const file = path.join(dir, 'report.html');
  writeFileAtomic(file, renderExperimentReport(r));
  return file;
}

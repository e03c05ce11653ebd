// The run report: one self-contained HTML file (no scripts, fonts or images fetched), with inline
// SVG for the derived architecture, the architecture probabilities and their entropy over the
// search, one loss chart per stage and the results table.

import { entropy } from '../search-health/node-entropy';
import { axisTicks } from './chart-ticks';

/** The derived architecture to draw: one chosen op per node, in order. */
export interface ArchitectureDrawing {
  /** The op chosen in each node, e.g. `tdnn-C2D1Nln`. */
  ops: string[];
  /** A fixed layer drawn after node `after - 1` (the reference's stride-3 subsampling). */
  fixed?: { after: number; op: string }[];
  /** Input feature dimension, for the input box. */
  inputDim?: number;
  /** Output units, for the output box. */
  outputDim?: number;
}

/** The architecture probabilities over a search: per node, its candidates and p at each logged step. */
export interface ArchProbHistory {
  /** The step number of each sample. */
  steps: number[];
  /** Per node: candidate names, `probs[sample][candidate]` and the entropy of p (nats) per sample. */
  nodes: { candidates: string[]; probs: number[][]; entropy?: number[] }[];
}

/** One loss curve (a stage's train or dev loss per epoch). */
export interface LossCurve {
  name: string;
  /** The stage it belongs to (one chart per stage); default: the name's first word. */
  stage?: string;
  points: { x: number; y: number }[];
}

/** One row of the results table. */
export interface ResultRow {
  name: string;
  architecture: string;
  params: number;
  testPer: number;
  /** Test word error rate through a word n-gram LM search, when the run decoded words. */
  testWer?: number;
  /** Set when this row is an earlier row's model (same architecture, not trained twice): its name. */
  sameAs?: string;
}

/** Everything the report shows; absent parts are left out with a note. */
export interface ReportData {
  title: string;
  /** Free text lines under the title (machine, date, command). */
  meta?: string[];
  architecture?: ArchitectureDrawing;
  archProbs?: ArchProbHistory;
  curves?: LossCurve[];
  results?: ResultRow[];
  /** Shown at the top, e.g. "the search did not decide: ...". */
  warnings?: string[];
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

/** Escapes text for HTML and SVG. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Ticks are round values (axisTicks), so they print as they are: 90, 0.2, 1.5.
const fmt = (x: number) =>
  Number.isInteger(x) || Math.abs(x) >= 100
    ? x.toFixed(0)
    : Number(x.toPrecision(Math.abs(x) >= 1 ? 3 : 2)).toString();

/** Draws the architecture as a vertical chain of boxes (inline SVG). */
export function architectureSvg(a: ArchitectureDrawing): string {
  const boxes: { label: string; kind: 'io' | 'op' | 'fixed' }[] = [];
  boxes.push({ label: `input${a.inputDim ? ` (${a.inputDim})` : ''}`, kind: 'io' });
  a.ops.forEach((op, i) => {
    for (const f of a.fixed ?? []) if (f.after === i) boxes.push({ label: f.op, kind: 'fixed' });
    boxes.push({ label: `node ${i}: ${op}`, kind: 'op' });
  });
  for (const f of a.fixed ?? []) if (f.after >= a.ops.length) boxes.push({ label: f.op, kind: 'fixed' });
  boxes.push({ label: `linear + softmax${a.outputDim ? ` (${a.outputDim})` : ''}`, kind: 'io' });
  const w = 260;
  const h = 30;
  const gap = 18;
  const height = boxes.length * (h + gap);
  const parts = boxes.map((b, i) => {
    const y = 6 + i * (h + gap);
    const fill = b.kind === 'op' ? '#dbe9f6' : b.kind === 'fixed' ? '#eeeeee' : '#fff7dc';
    const arrow =
      i < boxes.length - 1
        ? `<line x1="${w / 2 + 10}" y1="${y + h}" x2="${w / 2 + 10}" y2="${y + h + gap - 2}" stroke="#555" marker-end="url(#arrow)"/>`
        : '';
    return (
      `<g class="box ${b.kind}"><rect class="${b.kind}" x="10" y="${y}" width="${w}" height="${h}" rx="5" fill="${fill}" stroke="#345"/>` +
      `<text x="${w / 2 + 10}" y="${y + h / 2 + 5}" text-anchor="middle" font-size="13">${escapeHtml(b.label)}</text></g>${arrow}`
    );
  });
  return (
    `<svg id="architecture" xmlns="http://www.w3.org/2000/svg" width="${w + 20}" height="${height}" viewBox="0 0 ${w + 20} ${height}" role="img" aria-label="derived architecture">` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>` +
    `${parts.join('')}</svg>`
  );
}

interface Series {
  name: string;
  points: { x: number; y: number }[];
  color: string;
}

/** A line chart of several series (inline SVG) with axes, ticks and a legend. */
export function lineChartSvg(
  id: string,
  series: Series[],
  o: {
    width?: number;
    height?: number;
    yMin?: number;
    yMax?: number;
    title?: string;
    xLabel?: string;
    /** The x axis counts (steps, epochs): integer ticks only. */
    integerX?: boolean;
  } = {},
): string {
  const W = o.width ?? 420;
  const H = o.height ?? 220;
  const L = 48;
  const R = 10;
  const T = o.title ? 24 : 10;
  const B = 34 + 16 * Math.ceil(series.length / 3);
  const pts = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  let xMin = Math.min(...pts.map((p) => p.x));
  let xMax = Math.max(...pts.map((p) => p.x));
  let yMin = o.yMin ?? Math.min(...pts.map((p) => p.y));
  let yMax = o.yMax ?? Math.max(...pts.map((p) => p.y));
  if (!Number.isFinite(xMin)) [xMin, xMax, yMin, yMax] = [0, 1, 0, 1];
  if (xMax === xMin) xMax = xMin + 1;
  if (yMax === yMin) yMax = yMin + 1;
  const px = (x: number) => L + ((x - xMin) / (xMax - xMin)) * (W - L - R);
  const py = (y: number) => T + (1 - (y - yMin) / (yMax - yMin)) * (H - T - B);
  const xTicks = axisTicks(xMin, xMax, {
    integer: o.integerX,
    maxTicks: Math.max(3, Math.floor((W - L) / 45)),
  });
  const axes =
    `<line x1="${L}" y1="${py(yMin)}" x2="${W - R}" y2="${py(yMin)}" stroke="#333"/>` +
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${py(yMin)}" stroke="#333"/>` +
    axisTicks(yMin, yMax, { maxTicks: 6 })
      .map(
        (y) =>
          `<text x="${L - 4}" y="${py(y) + 4}" text-anchor="end" font-size="10">${fmt(y)}</text>` +
          `<line x1="${L}" y1="${py(y)}" x2="${W - R}" y2="${py(y)}" stroke="#eee"/>`,
      )
      .join('') +
    xTicks
      .map(
        (x) =>
          `<text class="x-tick" x="${px(x)}" y="${py(yMin) + 14}" text-anchor="middle" font-size="10">${o.integerX ? String(x) : fmt(x)}</text>`,
      )
      .join('') +
    (o.xLabel
      ? `<text x="${(L + W - R) / 2}" y="${py(yMin) + 27}" text-anchor="middle" font-size="11">${escapeHtml(o.xLabel)}</text>`
      : '');
  const lines = series
    .map((s) => {
      const p = s.points.filter((q) => Number.isFinite(q.x) && Number.isFinite(q.y));
      const d = p.map((q) => `${px(q.x).toFixed(1)},${py(q.y).toFixed(1)}`).join(' ');
      // A single point draws as a dot, so a one-epoch stage is still visible.
      return p.length === 1
        ? `<circle class="series" cx="${px(p[0]!.x)}" cy="${py(p[0]!.y)}" r="3" fill="${s.color}"><title>${escapeHtml(s.name)}</title></circle>`
        : `<polyline class="series" fill="none" stroke="${s.color}" stroke-width="1.8" points="${d}"><title>${escapeHtml(s.name)}</title></polyline>`;
    })
    .join('');
  const legend = series
    .map((s, i) => {
      const x = L + (i % 3) * ((W - L) / 3);
      const y = H - 16 * Math.ceil(series.length / 3) + 16 * Math.floor(i / 3) + 4;
      return `<rect x="${x}" y="${y - 8}" width="10" height="10" fill="${s.color}"/><text x="${x + 14}" y="${y + 1}" font-size="10">${escapeHtml(s.name)}</text>`;
    })
    .join('');
  const title = o.title
    ? `<text x="${W / 2}" y="15" text-anchor="middle" font-size="12" font-weight="bold">${escapeHtml(o.title)}</text>`
    : '';
  return `<svg id="${escapeHtml(id)}" class="chart" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${title}${axes}${lines}${legend}</svg>`;
}

/** Renders the whole report as one self-contained HTML document. */
export function renderReport(d: ReportData): string {
  const sections: string[] = [];
  sections.push(`<h1>${escapeHtml(d.title)}</h1>`);
  if (d.meta?.length) sections.push(`<p class="meta">${d.meta.map(escapeHtml).join('<br>')}</p>`);
  for (const w of d.warnings ?? [])
    sections.push(`<p class="warning" id="search-warning"><strong>Warning:</strong> ${escapeHtml(w)}</p>`);
  if (d.results?.length) {
    const words = d.results.some((r) => r.testWer !== undefined);
    const wer = (r: ResultRow) =>
      words
        ? `<td class="num">${r.sameAs || r.testWer === undefined ? '' : `${(r.testWer * 100).toFixed(2)}%`}</td>`
        : '';
    const rows = d.results
      .map(
        (r) =>
          `<tr><td>${escapeHtml(r.name)}</td><td><code>${escapeHtml(r.architecture)}</code></td><td class="num">${r.params.toLocaleString('en-US')}</td><td class="num">${r.sameAs ? escapeHtml(`same as ${r.sameAs === d.results![0]!.name ? 'searched' : r.sameAs}`) : `${(r.testPer * 100).toFixed(2)}%`}</td>${wer(r)}</tr>`,
      )
      .join('');
    sections.push(
      `<h2>Results</h2><table id="results"><thead><tr><th>model</th><th>architecture</th><th>params</th><th>test PER</th>${words ? '<th>test WER (word LM)</th>' : ''}</tr></thead><tbody>${rows}</tbody></table>`,
    );
  }
  sections.push('<h2>Derived architecture</h2>');
  sections.push(
    d.architecture ? architectureSvg(d.architecture) : '<p class="missing">No architecture in this run.</p>',
  );
  sections.push('<h2>Architecture probabilities during the search</h2>');
  if (d.archProbs && d.archProbs.steps.length > 0) {
    const charts = d.archProbs.nodes.map((node, n) =>
      lineChartSvg(
        `arch-probs-node-${n}`,
        node.candidates.map((c, k) => ({
          name: c,
          color: COLORS[k % COLORS.length]!,
          points: d.archProbs!.steps.map((s, i) => ({ x: s, y: node.probs[i]?.[k] ?? Number.NaN })),
        })),
        { width: 320, height: 200, yMin: 0, yMax: 1, title: `node ${n}`, xLabel: 'step', integerX: true },
      ),
    );
    sections.push(`<div id="arch-probs" class="grid">${charts.join('')}</div>`);
    const ap = d.archProbs;
    const maxK = Math.max(2, ...ap.nodes.map((node) => node.candidates.length));
    sections.push(
      `<h2>Entropy of p during the search</h2><p class="meta">In nats: ln K (${Math.log(maxK).toFixed(3)} for ${maxK} candidates) is uniform, 0 is decided.</p>`,
      `<div id="arch-entropy">${lineChartSvg(
        'arch-entropy-chart',
        ap.nodes.map((node, n) => ({
          name: `node ${n}`,
          color: COLORS[n % COLORS.length]!,
          points: ap.steps.map((s, i) => ({ x: s, y: node.entropy?.[i] ?? entropy(node.probs[i] ?? []) })),
        })),
        { width: 640, height: 240, yMin: 0, yMax: Math.log(maxK), xLabel: 'step', integerX: true },
      )}</div>`,
    );
  } else {
    sections.push('<p class="missing">No search was logged in this run.</p>');
  }
  sections.push('<h2>Loss curves</h2>');
  if (d.curves?.some((c) => c.points.length > 0)) {
    // One chart per stage: each stage counts its own epochs from 1.
    const stages = new Map<string, LossCurve[]>();
    for (const c of d.curves) {
      const st = c.stage ?? c.name.split(' ')[0]!;
      stages.set(st, [...(stages.get(st) ?? []), c]);
    }
    const charts = [...stages].map(([st, curves]) =>
      lineChartSvg(
        `loss-${st.replace(/[^\w-]/g, '_')}`,
        // The title names the stage, so the legend says only which curve ("dev", "train").
        curves.map((c, i) => ({
          name: c.name.startsWith(`${st} `) ? c.name.slice(st.length + 1) : c.name,
          points: c.points,
          color: COLORS[i % COLORS.length]!,
        })),
        { width: 320, height: 220, title: st, xLabel: `${st} epoch`, integerX: true },
      ),
    );
    sections.push(`<div id="loss-curves" class="grid">${charts.join('')}</div>`);
  } else {
    sections.push('<p class="missing">No losses were logged in this run.</p>');
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(d.title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:4px 8px}td.num{text-align:right}
.grid{display:flex;flex-wrap:wrap;gap:8px}.meta{color:#555;font-size:90%}.missing{color:#888}
.warning{background:#fff3cd;border:1px solid #e0b000;padding:8px 12px}
</style></head><body>
${sections.join('\n')}
</body></html>
`;
}

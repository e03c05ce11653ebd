// The CTC-CRF denominator's inner update, the same loop in JavaScript and in WebAssembly: what a
// wasm kernel would buy over the plain-TypeScript one (docs/benchmarks.md, "CTC-CRF loss"). The
// loop is the forward pass's gather over the 4-gram graph's LM arcs in layout order,
// acc[to[a]] += p[a] * x[from[a]], one multiply-add per arc and utterance; the wasm module is
// assembled below from its instructions (no toolchain), once scalar and once with f64x2 lanes
// holding 2 utterances (the batch-major layout).
import { loadAverage, markdownTable, median, record } from '../../../bench/report';
import { buildDenominatorGraph } from '../src/denominator-graph';
import { denominatorLayout } from '../src/denominator-layout';
import { estimatePhoneLm } from '../src/phone-lm';
import { phoneSequences } from './corpus-phones';

const FRAMES = 3000; // passes over the arcs per timed run
const REPS = 7;

// ---- a minimal WebAssembly assembler: just the instructions the two loops use
const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const str = (s: string) => [...uleb(s.length), ...Buffer.from(s)];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const i32 = (n: number) => [0x41, n]; // small non-negative constants only (one signed LEB byte)
const ADD = 0x6a;
const SHL = 0x74;
const LT_U = 0x49;
const loadI32 = [0x28, 2, 0];
const loadF64 = [0x2b, 3, 0];
const storeF64 = [0x39, 3, 0];
const loadV128 = [0xfd, 0x00, 4, 0];
const storeV128 = [0xfd, 0x0b, 4, 0];
/** Address `base + index[a] << shift`, with index an i32 array at local `arr`. */
const gathered = (base: number, arr: number, shift: number) => [
  ...get(base),
  ...get(arr),
  ...get(8),
  ...i32(2),
  SHL,
  ADD,
  ...loadI32,
  ...i32(shift),
  SHL,
  ADD,
];

/**
 * Body of `f(A, reps, to, from, p, x, acc)`: reps times, for a < A,
 * acc[to[a]] += p[a] * x[from[a]]; locals 7 (r), 8 (a), 9 (the destination address).
 */
function arcLoop(lanes: 1 | 2): number[] {
  const shift = lanes === 1 ? 3 : 4; // bytes per state row: one f64, or two
  const p = [...get(4), ...get(8), ...i32(3), SHL, ADD, ...loadF64, ...(lanes === 2 ? [0xfd, 0x14] : [])];
  const x = [...gathered(5, 3, shift), ...(lanes === 1 ? loadF64 : loadV128)];
  const mul = lanes === 1 ? [0xa2] : [0xfd, ...uleb(0xf2)];
  const add = lanes === 1 ? [0xa0] : [0xfd, ...uleb(0xf0)];
  const body = [
    ...[0x03, 0x40], // loop over reps
    ...i32(0),
    ...set(8),
    ...[0x03, 0x40], // loop over arcs
    ...gathered(6, 2, shift),
    ...set(9),
    ...get(9),
    ...get(9),
    ...(lanes === 1 ? loadF64 : loadV128),
    ...p,
    ...x,
    ...mul,
    ...add,
    ...(lanes === 1 ? storeF64 : storeV128),
    ...[...get(8), ...i32(1), ADD, ...set(8)],
    ...[...get(8), ...get(0), LT_U, 0x0d, 0], // br_if the arc loop
    0x0b,
    ...[...get(7), ...i32(1), ADD, ...set(7)],
    ...[...get(7), ...get(1), LT_U, 0x0d, 0], // br_if the reps loop
    0x0b,
    0x0b,
  ];
  const withLocals = [...vec([[3, 0x7f]]), ...body];
  return [...uleb(withLocals.length), ...withLocals];
}

function arcModule(pages: number): Uint8Array {
  const type = [0x60, ...vec(Array.from({ length: 7 }, () => [0x7f])), 0];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([type])),
    ...section(3, vec([[0], [0]])),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(
      7,
      vec([
        [...str('mem'), 2, 0],
        [...str('scalar'), 0, 0],
        [...str('lanes2'), 0, 1],
      ]),
    ),
    ...section(10, vec([arcLoop(1), arcLoop(2)])),
  ]);
}

type ArcFn = (A: number, reps: number, to: number, from: number, p: number, x: number, acc: number) => void;
type ArcExports = { mem: { buffer: ArrayBuffer }; scalar: ArcFn; lanes2: ArcFn };
// Node has the WebAssembly global, but @types/node 20 does not declare it (only lib.dom does).
const wasmApi = (
  globalThis as unknown as {
    WebAssembly: { instantiate(bytes: Uint8Array): Promise<{ instance: { exports: unknown } }> };
  }
).WebAssembly;

/** The JavaScript loop, as the kernel writes its loops (typed arrays in locals). */
function jsArcs(
  to: Int32Array,
  from: Int32Array,
  p: Float64Array,
  x: Float64Array,
  acc: Float64Array,
  reps: number,
) {
  const A = to.length;
  for (let r = 0; r < reps; r++) for (let a = 0; a < A; a++) acc[to[a]!]! += p[a]! * x[from[a]!]!;
}

async function main(): Promise<void> {
  const graph = buildDenominatorGraph(estimatePhoneLm(phoneSequences('train'), { order: 4 }), {
    numClasses: 72,
  });
  const lay = denominatorLayout(graph);
  const A = lay.inFrom.length;
  const G = lay.numLmStates;
  const K = lay.numLabelStates;
  const to = new Int32Array(A);
  for (let k = 0; k < K; k++) for (let a = lay.inStart[k]!; a < lay.inStart[k + 1]!; a++) to[a] = k;
  const from = Int32Array.from(lay.inFrom);
  const p = Float64Array.from(lay.inP);
  // byte layout of the wasm memory: to, from (i32), p (f64), x for one lane (G f64) and for two
  // (G rows of 2 f64), then the accumulators (K rows of up to 2 f64)
  const off = { to: 0, from: 4 * A, p: 8 * A, x1: 16 * A, x2: 16 * A + 8 * G, acc: 16 * A + 24 * G };
  const { instance } = await wasmApi.instantiate(arcModule(Math.ceil((off.acc + 16 * K) / 65536)));
  const wasm = instance.exports as ArcExports;
  const buf = wasm.mem.buffer;
  new Int32Array(buf, off.to, A).set(to);
  new Int32Array(buf, off.from, A).set(from);
  new Float64Array(buf, off.p, A).set(p);
  const x = Float64Array.from({ length: G }, (_, q) => 1 / (1 + q));
  new Float64Array(buf, off.x1, G).set(x);
  const x2 = new Float64Array(buf, off.x2, 2 * G);
  for (let q = 0; q < G; q++) x2.fill(x[q]!, 2 * q, 2 * q + 2);
  // one pass of each gives the same sums, bit for bit (the same operations in the same order)
  const accJs = new Float64Array(K);
  jsArcs(to, from, p, x, accJs, 1);
  const acc = new Float64Array(buf, off.acc, 2 * K);
  acc.fill(0);
  wasm.scalar(A, 1, off.to, off.from, off.p, off.x1, off.acc);
  for (let k = 0; k < K; k++) {
    if (acc[k] !== accJs[k]) throw new Error(`scalar wasm differs from JavaScript at label state ${k}`);
  }
  acc.fill(0);
  wasm.lanes2(A, 1, off.to, off.from, off.p, off.x2, off.acc);
  for (let k = 0; k < 2 * K; k++) {
    if (acc[k] !== accJs[k >> 1])
      throw new Error(`f64x2 wasm differs from JavaScript at label state ${k >> 1}`);
  }
  const variants: [string, number, () => void][] = [
    ['JavaScript (Float64Array, as the kernel)', 1, () => jsArcs(to, from, p, x, accJs, FRAMES)],
    ['WebAssembly, scalar f64', 1, () => wasm.scalar(A, FRAMES, off.to, off.from, off.p, off.x1, off.acc)],
    [
      'WebAssembly, f64x2 (2 utterances a lane pair)',
      2,
      () => wasm.lanes2(A, FRAMES, off.to, off.from, off.p, off.x2, off.acc),
    ],
  ];
  const cpu = variants.map(() => [] as number[]);
  for (const [, , fn] of variants) fn();
  const load0 = loadAverage();
  for (let i = 0; i < REPS; i++) {
    variants.forEach(([, , fn], v) => {
      const c = process.cpuUsage();
      fn();
      const d = process.cpuUsage(c);
      cpu[v]!.push((d.user + d.system) / 1000);
    });
  }
  const load1 = loadAverage();
  const perFrame = 4 * (G + K) + 2 * A;
  const ns = variants.map(([, lanes], v) => (median(cpu[v]!) * 1e6) / (FRAMES * A * lanes));
  record(
    'CTC-CRF arc update: JavaScript against WebAssembly (@stnas/ctc)',
    markdownTable(
      [
        "acc[to[a]] += p[a] * x[from[a]] over the 4-gram graph's LM arcs",
        'CPU ns per arc and utterance',
        'vs JavaScript',
      ],
      variants.map(([name], v) => [name, ns[v]!.toFixed(2), (ns[0]! / ns[v]!).toFixed(2)]),
    ),
    [
      `The forward pass's gather over the ${A} LM arcs of the bundled corpus's pruned 4-gram denominator (${G} LM states, ` +
        `${K} label states), in layout order, ${FRAMES} passes a run; medians of ${REPS} alternating runs, CPU time ` +
        `(process.cpuUsage); load average ${load0} before, ${load1} after (2 cores shared with other jobs). The wasm module ` +
        'is assembled by this benchmark from its instructions. The JavaScript and scalar wasm loops do the same f64 ' +
        "operations in the same order, so a wasm kernel could keep the JavaScript kernel's bits; f64x2 lanes over " +
        "utterances keep them too (each lane is one utterance's arithmetic).",
      `If every update of the 4-gram kernel (about ${perFrame} a frame, as counted in the "CTC-CRF loss (@stnas/ctc)" section) sped up as this loop does, ` +
        `the kernel would need ${(ns[0]! / ns[1]!).toFixed(1)} times less CPU with scalar wasm and ` +
        `${(ns[0]! / ns[2]!).toFixed(1)} times less with f64x2 lanes; issue 18's 4x target asks the "CPU vs ctcLoss" ` +
        'ratio of that section to come down to 4.',
    ].join('\n'),
  );
}

await main();

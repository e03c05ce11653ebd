// CTC-CRF loss + gradient for batch 32 x 300 frames x 72 classes against plain ctcLoss in the same
// run (alternating), with a 4-gram phone LM estimated from the bundled corpus's training
// transcripts (packages/corpus/data/train/text through lang/lexicon.txt and lang/units.txt), the
// unpruned 4-gram and the 3-gram, and where the time goes (the serial kernels alone).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { loadAverage, markdownTable, median, record } from '../../../bench/report';
import { crfForwardBackward } from '../src/ctc-crf-utterance';
import { type CtcBatch, ctcForwardBackward } from '../src/ctc-forward-backward';
import { denominatorForwardBackward } from '../src/denominator-forward-backward';
import { denominatorLayout } from '../src/denominator-layout';
import {
  buildDenominatorGraph,
  ctcCrfForwardBackward,
  ctcCrfLoss,
  ctcLoss,
  type DenominatorGraph,
  estimatePhoneLm,
  sharedCtcPool,
} from '../src/index';
import { mulberry32 as rng } from '../src/mulberry32';
import { phoneSequences } from './corpus-phones';

const B = 32;
const T = 300;
const C = 72;
const REPS = 7;

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const train = phoneSequences('train');
  let t0 = performance.now();
  const lm = estimatePhoneLm(train, { order: 4 });
  const lmMs = performance.now() - t0;
  t0 = performance.now();
  const denominator = buildDenominatorGraph(lm, { numClasses: C });
  const graphMs = performance.now() - t0;
  const unpruned = buildDenominatorGraph(estimatePhoneLm(train, { order: 4, extraStates: Infinity }), {
    numClasses: C,
  });
  const denominator3 = buildDenominatorGraph(estimatePhoneLm(train, { order: 3 }), { numClasses: C });
  const denominator2 = buildDenominatorGraph(estimatePhoneLm(train, { order: 2 }), { numClasses: C });
  const targets = train.slice(0, B);
  const r = rng(2021);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const logitsData = Float32Array.from({ length: B * T * C }, () => gauss() * 2);
  const lengths = Array.from({ length: B }, (_, b) => T - ((b * 7) % 60));
  const logits = tf.tensor3d(logitsData, [B, T, C]);
  // tf.tidy walks what its callback returns, so the gradient's values are read outside it.
  const timeGrad = (loss: (x: tf.Tensor) => tf.Tensor) => () => {
    const g = tf.tidy(() => tf.grad(loss)(logits));
    g.dataSync();
    g.dispose();
  };
  const crfStep = (graph: DenominatorGraph) =>
    timeGrad((x) => ctcCrfLoss(x, targets, lengths, { denominator: graph, lambda: 0.01 }));
  const batch: CtcBatch = {
    data: logitsData,
    batch: B,
    time: T,
    classes: C,
    targets,
    inputLengths: lengths,
    blank: 0,
    scores: 'logits',
  };
  const layout = denominatorLayout(denominator);
  const variants: [string, () => void][] = [
    ['ctcLoss (loss + grad, tf.grad)', timeGrad((x) => ctcLoss(x, targets, lengths))],
    [graphName('ctcCrfLoss (loss + grad, tf.grad), 4-gram', denominator), crfStep(denominator)],
    [graphName('ctcCrfLoss, 4-gram without state pruning', unpruned), crfStep(unpruned)],
    [graphName('ctcCrfLoss, 3-gram', denominator3), crfStep(denominator3)],
    [graphName('ctcCrfLoss, 2-gram', denominator2), crfStep(denominator2)],
    ['4-gram kernel on one thread: numerator + denominator', () => crfForwardBackward(batch, layout, 0.01)],
    [
      '4-gram, one thread: denominator forward + backward',
      () => denominatorForwardBackward(logitsData, [B, T, C], lengths, denominator),
    ],
    [
      '4-gram, one thread: denominator forward only',
      () => denominatorForwardBackward(logitsData, [B, T, C], lengths, denominator, { grad: false }),
    ],
    ['one thread: CTC numerator (ctcForwardBackward)', () => ctcForwardBackward(batch)],
  ];
  const times = variants.map(() => [] as number[]);
  const cpu = variants.map(() => [] as number[]);
  for (const [, fn] of variants) fn(); // warm up (and start the pool's workers)
  for (const [, fn] of variants) fn();
  const load0 = loadAverage();
  for (let i = 0; i < REPS; i++) {
    variants.forEach(([, fn], v) => {
      const c = process.cpuUsage(); // all threads of the process: the work, whatever the load
      const s = performance.now();
      fn();
      times[v]!.push(performance.now() - s);
      const d = process.cpuUsage(c);
      cpu[v]!.push((d.user + d.system) / 1000);
    });
  }
  const load1 = loadAverage();
  logits.dispose();
  const frames = lengths.reduce((a, b) => a + b, 0);
  const ctcMs = median(times[0]!);
  const ctcCpu = median(cpu[0]!);
  const rows = variants.map(([name], v) => {
    const m = median(times[v]!);
    const c = median(cpu[v]!);
    return [
      name,
      m.toFixed(1),
      Math.round(frames / (m / 1000)),
      (m / ctcMs).toFixed(2),
      c.toFixed(1),
      (c / ctcCpu).toFixed(2),
    ];
  });
  const sizes = lm.ngrams.map((t, n) => `${n + 1}-grams ${t.size}`).join(', ');
  // Where the time goes, in CPU time of the serial kernels (rows 5-8).
  const [kernelCpu, denCpu, fwdCpu, numCpu] = [5, 6, 7, 8].map((v) => median(cpu[v]!)) as [
    number,
    number,
    number,
    number,
  ];
  const perFrameNs = (denCpu * 1e6) / frames;
  const ops = 4 * (denominator.numLmStates + denominator.numLabelStates) + 2 * denominator.arcFrom.length;
  const where =
    `Where the time goes (CPU time, one thread, 4-gram): the denominator is ${((100 * denCpu) / kernelCpu).toFixed(0)}% of the kernel ` +
    `(the CTC numerator ${((100 * numCpu) / kernelCpu).toFixed(0)}%), its forward pass ${((100 * fwdCpu) / denCpu).toFixed(0)}% and the backward pass with the ` +
    `occupancies ${((100 * (denCpu - fwdCpu)) / denCpu).toFixed(0)}%: ${(perFrameNs / 1000).toFixed(0)} us per frame for about ${ops} ` +
    `state and arc updates, ${(perFrameNs / ops).toFixed(1)} ns each. The target of issue 18 (ctcCrfLoss at most 4x ctcLoss) needs ` +
    `about ${((4 * median(cpu[0]!) * 1e6) / frames / ops).toFixed(2)} ns per update with this graph: out of reach for scalar JavaScript, so it ` +
    `is not met with the 4-gram; ctcCrfLoss with the 3-gram graph costs ${(median(cpu[1]!) / median(cpu[3]!)).toFixed(1)} times less CPU than with the 4-gram, and with the 2-gram graph (the denominator that trains best in docs/results.md) ${(median(cpu[4]!) / median(cpu[0]!)).toFixed(1)} times ctcLoss's. ` +
    'The update is already one multiply-add in the scaled probability domain (log space only for an utterance whose rows ' +
    'underflow; none here), so the time is instructions per update, not exp/log. Tried on 2026-12-01 against this kernel and not ' +
    'kept: a batch-major kernel (8 utterances advancing frame by frame together, the inner loop over them contiguous) was no ' +
    'faster per update, since V8 does not vectorise the inner loop and the arc reads it saves are a small part; flat loops with one ' +
    'gather per arc (the mass without the excluded label state computed once per state) and the backward scale lagged by a frame ' +
    'measured 0.94x (4-gram) and 1.10x (3-gram) the CPU time of this kernel, alternating in one process: inside the noise. ' +
    'The 4x target needs several times fewer instructions per update: SIMD (WebAssembly f64x2/f32x4 lanes over utterances in the batch-major layout) or a GPU kernel as CAT has.';
  // The scaled kernel against the exact log-space one on this batch: loss and gradient within 1e-5.
  const agreement = [denominator, denominator3].map((g) => {
    const lay = denominatorLayout(g);
    const fast = crfForwardBackward(batch, lay, 0.01);
    const exact = crfForwardBackward(batch, lay, 0.01, { method: 'log' });
    let loss = 0;
    for (let b = 0; b < B; b++) {
      for (const [x, y] of [
        [fast.losses[b]!, exact.losses[b]!],
        [fast.den[b]!, exact.den[b]!],
      ] as const) {
        loss = Math.max(loss, Math.abs(x - y) / Math.abs(y));
      }
    }
    let gmax = 0;
    let worst = 0;
    for (let i = 0; i < exact.grad!.length; i++) {
      gmax = Math.max(gmax, Math.abs(exact.grad![i]!));
      worst = Math.max(worst, Math.abs(fast.grad![i]! - exact.grad![i]!));
    }
    const grad = worst / gmax;
    if (!(loss <= 1e-5 && grad <= 1e-5) || fast.logSpaceFallbacks !== 0) {
      throw new Error(`scaled and log-space kernels disagree: loss ${loss}, gradient ${grad}`);
    }
    return { loss, grad };
  });
  const probe = ctcCrfForwardBackward(logitsData, [B, T, C], targets, lengths, denominator, 0.01, false);
  const meanLoss = probe.loss.reduce((a, b) => a + b, 0) / B;
  const pool = sharedCtcPool();
  record(
    'CTC-CRF loss (@stnas/ctc)',
    markdownTable(
      [
        'batch 32 x 300 frames x 72 classes, CPU backend',
        'median ms',
        'frames/s',
        'vs ctcLoss',
        'CPU ms (all threads)',
        'CPU vs ctcLoss',
      ],
      rows,
    ),
    [
      `Phone LM: 4-gram from the bundled corpus's ${train.length} training transcripts (${sizes}; hard back-off, ` +
        "histories of 3 phones kept if seen twice and among the 1,000 of most likelihood gain, as Kaldi's " +
        `chain-est-phone-lm in CAT's recipe), estimated in ${lmMs.toFixed(0)} ms; graph built in ${graphMs.toFixed(0)} ms. ` +
        '"states" counts LM states + label states, "arcs" the LM arcs; each frame costs about one operation per ' +
        'state in each of 4 sweeps (sum into LM states, emit, backward, occupancy) and 2 per arc (forward, backward).',
      `Medians of ${REPS} alternating runs; load average ${load0} before, ${load1} after (2 cores shared with other ` +
        `jobs: wall times are inflated, compare ratios; CPU time, process.cpuUsage over all threads, is the work done and depends much less on the load). ctcLoss and ctcCrfLoss split the batch over the calling ` +
        `thread and ${pool.threads} worker thread(s) of the shared pool (bit-identical to one thread); the "one thread" ` +
        'rows run the same kernels serially. Targets are the first 32 training transcripts ' +
        `(${Math.min(...targets.map((t) => t.length))}-${Math.max(...targets.map((t) => t.length))} phones), ` +
        `lengths 241-300 frames, random logits; mean per-utterance loss ${meanLoss.toFixed(2)}. ` +
        'PyTorch has no CTC-CRF (CAT is CUDA-only), so there is no torch column.',
      where,
      `The scaled kernel against the exact log-space one on this batch (CTC numerator and denominator, no utterance fell back): ` +
        `largest relative difference of the loss and denominator terms ${agreement[0]!.loss.toExponential(1)} (4-gram) and ` +
        `${agreement[1]!.loss.toExponential(1)} (3-gram); of the gradient, relative to its largest entry, ` +
        `${agreement[0]!.grad.toExponential(1)} and ${agreement[1]!.grad.toExponential(1)}.`,
    ].join('\n'),
  );
  await pool.close();
}

function graphName(name: string, g: DenominatorGraph): string {
  return `${name} (${g.numLmStates + g.numLabelStates} states, ${g.arcFrom.length} arcs)`;
}

await main();

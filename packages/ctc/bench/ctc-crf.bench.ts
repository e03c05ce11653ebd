// CTC-CRF loss + gradient for batch 32 x 300 frames x 72 classes against plain ctcLoss in the same
// run (alternating), with a 4-gram phone LM estimated from the bundled corpus's training
// transcripts (packages/corpus/data/train/text through lang/lexicon.txt and lang/units.txt).
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { markdownTable, median, record } from '../../../bench/report';
import {
  buildDenominatorGraph,
  ctcCrfForwardBackward,
  ctcCrfLoss,
  ctcLoss,
  estimatePhoneLm,
} from '../src/index';
import { mulberry32 as rng } from '../src/mulberry32';

const here = path.dirname(fileURLToPath(import.meta.url));
const data = path.resolve(here, '../../corpus/data');
const B = 32;
const T = 300;
const C = 72;
const REPS = 7;

/** Phone-id sequences of a data dir's transcripts (first pronunciation of each word). */
function phoneSequences(dir: string): number[][] {
  const units = new Map<string, number>();
  for (const line of readFileSync(path.join(data, 'lang/units.txt'), 'utf8').split('\n')) {
    const [u, id] = line.trim().split(/\s+/);
    if (u && id) units.set(u, Number(id));
  }
  const lexicon = new Map<string, number[]>();
  readFileSync(path.join(data, 'lang/lexicon.txt'), 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const [w, ...phones] = line.trim().split(/\s+/);
      if (!w || lexicon.has(w)) return;
      lexicon.set(
        w,
        phones.map((p) => {
          const id = units.get(p);
          if (id === undefined) throw new Error(`lang/lexicon.txt:${i + 1}: phone ${p} is not in units.txt`);
          return id;
        }),
      );
    });
  return readFileSync(path.join(data, dir, 'text'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((line, i) =>
      line
        .trim()
        .split(/\s+/)
        .slice(1)
        .flatMap((w) => {
          const p = lexicon.get(w);
          if (!p) throw new Error(`${dir}/text:${i + 1}: word ${w} is not in lang/lexicon.txt`);
          return p;
        }),
    );
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const train = phoneSequences('train');
  let t0 = performance.now();
  const lm = estimatePhoneLm(train, { order: 4 });
  const lmMs = performance.now() - t0;
  t0 = performance.now();
  const denominator = buildDenominatorGraph(lm, { numClasses: C });
  const graphMs = performance.now() - t0;
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
  const crfStep = timeGrad((x) => ctcCrfLoss(x, targets, lengths, { denominator, lambda: 0.01 }));
  const ctcStep = timeGrad((x) => ctcLoss(x, targets, lengths));
  const kernel = () =>
    ctcCrfForwardBackward(logitsData, [B, T, C], targets, lengths, denominator, 0.01, true);
  const denominator3 = buildDenominatorGraph(estimatePhoneLm(train, { order: 3 }), { numClasses: C });
  const kernel3 = () =>
    ctcCrfForwardBackward(logitsData, [B, T, C], targets, lengths, denominator3, 0.01, true);
  const ker3: number[] = [];
  const crf: number[] = [];
  const ctc: number[] = [];
  const ker: number[] = [];
  crfStep();
  ctcStep();
  const probe = kernel();
  for (let i = 0; i < REPS; i++) {
    for (const [fn, out] of [
      [crfStep, crf],
      [ctcStep, ctc],
      [kernel, ker],
      [kernel3, ker3],
    ] as const) {
      const s = performance.now();
      fn();
      out.push(performance.now() - s);
    }
  }
  logits.dispose();
  const ms = (x: number) => x.toFixed(1);
  const frames = lengths.reduce((a, b) => a + b, 0);
  const rows = [
    ['ctcLoss (loss + grad, tf.grad)', ms(median(ctc)), Math.round(frames / (median(ctc) / 1000)), '1.00'],
    [
      'ctcCrfLoss (loss + grad, tf.grad)',
      ms(median(crf)),
      Math.round(frames / (median(crf) / 1000)),
      (median(crf) / median(ctc)).toFixed(2),
    ],
    [
      'ctcCrfForwardBackward kernel only',
      ms(median(ker)),
      Math.round(frames / (median(ker) / 1000)),
      (median(ker) / median(ctc)).toFixed(2),
    ],
    [
      `kernel only, 3-gram LM (${denominator3.numLmStates} LM states, ${denominator3.arcFrom.length} arcs)`,
      ms(median(ker3)),
      Math.round(frames / (median(ker3) / 1000)),
      (median(ker3) / median(ctc)).toFixed(2),
    ],
  ];
  const sizes = lm.ngrams.map((t, n) => `${n + 1}-grams ${t.size}`).join(', ');
  const meanLoss = probe.loss.reduce((a, b) => a + b, 0) / B;
  record(
    'CTC-CRF loss (@stnas/ctc)',
    markdownTable(
      ['batch 32 x 300 frames x 72 classes, CPU backend', 'median ms', 'frames/s', 'vs ctcLoss'],
      rows,
    ),
    [
      `Phone LM: 4-gram from the bundled corpus's ${train.length} training transcripts (${sizes}; hard back-off, ` +
        `histories of 3 phones kept if seen twice), estimated in ${lmMs.toFixed(0)} ms. Denominator graph: ` +
        `${denominator.numLmStates} LM states, ${denominator.numLabelStates} label states, ` +
        `${denominator.arcFrom.length} LM arcs, built in ${graphMs.toFixed(0)} ms.`,
      `Medians of ${REPS} alternating runs; targets are the first 32 training transcripts ` +
        `(${Math.min(...targets.map((t) => t.length))}-${Math.max(...targets.map((t) => t.length))} phones), ` +
        `lengths 241-300 frames, random logits; mean per-utterance loss ${meanLoss.toFixed(2)}. ` +
        'Single-threaded (the batch loop is serial). PyTorch has no CTC-CRF (CAT is CUDA-only), so there is no torch column.',
    ].join('\n'),
  );
}

await main();

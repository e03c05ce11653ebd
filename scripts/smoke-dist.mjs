// Smoke test of the built packages from plain Node (no vitest, no source condition): gradients
// registered through @tensorflow/tfjs, the CTC loss differentiated, a supernet forward, and Kaldi
// reads. Run after `pnpm build`; exits non-zero on any failure.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const imp = (pkg) => import(path.join(root, 'packages', pkg, 'dist', 'index.js'));

const { selectBackend } = await imp('trainer');
const tf = await import('@tensorflow/tfjs-core');
const sel = await selectBackend('cpu');
assert.equal(sel.backend, 'cpu');

const { ctcLoss } = await imp('ctc');
const logits = tf.randomNormal([2, 12, 5], 0, 1, 'float32', 1);
const g = tf.grad((x) => ctcLoss(x, [[1, 2], [3]], [12, 9]))(logits);
const gs = await g.data();
assert.ok(gs.every(Number.isFinite), 'ctc gradient is finite');
// Each frame's gradient of a CTC loss on logits sums to zero (softmax minus a distribution).
for (let i = 0; i < 2 * 12; i++) {
  let s = 0;
  for (let c = 0; c < 5; c++) s += gs[i * 5 + c];
  assert.ok(Math.abs(s) < 1e-5, `frame ${i} gradient sums to ${s}`);
}

const { buildSupernet, DEMO_CONFIG } = await imp('search-space');
const { createRng } = await imp('st-estimator');
const net = buildSupernet(DEMO_CONFIG);
const x = tf.randomNormal([1, 30, DEMO_CONFIG.net_configs.idim]);
const out = net.apply(x, [30], { mode: 'eval', rng: createRng(0), training: false, argmax: true });
assert.equal(out.logits.shape[2], DEMO_CONFIG.net_configs.num_classes);

const { readMatrix } = await imp('data-wsj');
const m = await readMatrix(path.join(root, 'fixtures', 'kaldi', 'kaldi', 'matrices', 'mats.ark:12'));
assert.equal(m.rows, 10);
assert.equal(m.cols, 20);
console.log('smoke: built packages work from plain Node (ctc gradient, supernet forward, Kaldi read)');

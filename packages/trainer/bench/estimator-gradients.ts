// How well each architecture-gradient estimator follows the exact gradient of the expected held-out
// loss, on a search checkpoint of the bundled corpus's demo space (issue 14, docs/results.md "why ST
// does not decide"). Evaluates all paths on the held-out split (dropout off) for the exact
// dE/da = p (E[L | candidate] - E[L]) per node, then samples each estimator `--samples` times per
// held-out batch (dropout off) and prints, per node, its mean, standard error and sd against it.
//
//   tsx --conditions=@stnas/source packages/trainer/bench/estimator-gradients.ts RUN_DIR \
//     [--checkpoint search/checkpoint.ckpt] [--samples 8] [--estimators st,leg,snas,darts,proxyless]
//     [--seed 0]
//
// RUN_DIR is a `stnas demo` run directory (its config.json is the supernet). The held-out split is
// the search's (ratio 0.1, split seed 0); the batches are the demo's (16 utterances).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSupernet, type StnasConfig } from '@stnas/search-space';
import {
  createEstimator,
  createRng,
  type EstimatorName,
  localExpectationGradient,
} from '@stnas/st-estimator';
import {
  assignVariables,
  type Batch,
  batchLoss,
  corpusDir,
  enumeratePaths,
  evaluateLoss,
  expectedLossGradient,
  loadStageData,
  modelVariables,
  type PathLoss,
  pathRank,
  readCheckpoint,
  selectBackend,
} from '@stnas/trainer';
import * as tf from '@tensorflow/tfjs-core';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const k = argv.indexOf(`--${name}`);
  return k >= 0 ? argv[k + 1]! : fallback;
};
const run = argv[0];
if (!run || run.startsWith('--')) {
  console.error(
    'usage: estimator-gradients.ts RUN_DIR [--checkpoint FILE] [--samples N] [--estimators a,b] [--seed N]',
  );
  process.exit(2);
}
const ckpt = path.resolve(run, opt('checkpoint', 'search/checkpoint.ckpt'));
const samples = Number(opt('samples', '8'));
const estimators = opt('estimators', 'st,leg').split(',');
const seed = Number(opt('seed', '0'));

await selectBackend('auto');
const corpus = corpusDir();
const lang = path.join(corpus, 'lang');
const config = JSON.parse(readFileSync(path.join(run, 'config.json'), 'utf8')) as StnasConfig;
const d = await loadStageData({
  config,
  data: path.join(corpus, 'train'),
  dev: path.join(corpus, 'dev'),
  lexicon: path.join(lang, 'lexicon.txt'),
  units: path.join(lang, 'units.txt'),
  out: run,
  seed,
  batchSize: 16,
  lr: 0,
  maxEpochs: 1,
  checkpointEvery: 1,
  progress: { write: () => {}, isTTY: false },
  log: () => {},
});
const model = buildSupernet(config, { seed });
assignVariables(ckpt, readCheckpoint(ckpt).arrays, modelVariables(model));
const held = d.train.subset(d.train.dataset.split(0.1, 0).heldOut.utts);
const batches: Batch[] = [];
for (let b = 0; b < held.numBatches; b++) batches.push(await held.batch(b));
const probs = model.archProbs();
const names = model.nodes().map((n) => n.candidates.map((c) => c.name.replace(/^tdnn-|Nln$/g, '')));

const table: PathLoss[] = [];
for (const choices of enumeratePaths(
  probs.map((p) => p.length),
  4096,
)!) {
  table.push({
    choices,
    loss: await evaluateLoss(model, batches, () => ({ mode: 'eval', choices, training: false })),
  });
}
const exact = expectedLossGradient(probs, table);
const argmaxPath = probs.map((p) => p.indexOf(Math.max(...p)));
console.log(`checkpoint ${ckpt}`);
console.log(
  `p ${JSON.stringify(probs.map((p) => p.map((x) => +x.toFixed(3))))}; candidates ${JSON.stringify(names)}`,
);
console.log(
  `${table.length} paths on ${batches.reduce((n, b) => n + b.shape[0], 0)} held-out utterances: argmax ranks ${pathRank(table, argmaxPath)}; ` +
    [...table]
      .sort((a, b) => a.loss - b.loss)
      .map((r) => `${r.choices.join('')} ${r.loss.toFixed(3)}`)
      .join(', '),
);

const mixing = Object.fromEntries(
  estimators.filter((n) => n !== 'leg').map((n) => [n, createEstimator(n as EstimatorName)]),
);

/** One sample of an estimator's gradient of the logits (last candidate's logit per node). */
function sample(name: string, b: Batch, rng: ReturnType<typeof createRng>): number[] {
  if (name === 'leg') {
    const lossOf = (choices: number[]) => {
      const l = batchLoss(model, b, { mode: 'eval', choices, training: false });
      const v = l.dataSync()[0]!;
      l.dispose();
      return v;
    };
    return localExpectationGradient(probs, rng, lossOf).grads.map((g) => g[g.length - 1]!);
  }
  const estimator = mixing[name]!;
  const arch = model.archVariables();
  const { value, grads } = tf.variableGrads(
    () => batchLoss(model, b, { mode: 'search', rng, estimator, training: false }),
    arch,
  );
  const out = arch.map((v) => {
    const g = grads[v.name]!.dataSync();
    return g[g.length - 1]!;
  });
  value.dispose();
  tf.dispose(Object.values(grads));
  return out;
}

const rows: string[] = [
  '| estimator | node | exact dE/da | mean | se | sd | within-batch sd |',
  '| --- | --- | --- | --- | --- | --- | --- |',
];
for (const name of estimators) {
  const rng = createRng(123);
  const per: number[][][] = batches.map((b) => Array.from({ length: samples }, () => sample(name, b, rng)));
  probs.forEach((_, n) => {
    const xs = per.flat().map((r) => r[n]!);
    const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
    const within = Math.sqrt(
      per.reduce((a, rs) => {
        const ys = rs.map((r) => r[n]!);
        const m = ys.reduce((s, y) => s + y, 0) / ys.length;
        return a + ys.reduce((s, y) => s + (y - m) ** 2, 0) / (ys.length - 1);
      }, 0) / per.length,
    );
    const e = exact[n]![exact[n]!.length - 1]!;
    rows.push(
      `| ${name} | ${n} | ${e.toFixed(3)} | ${mean.toFixed(3)} | ${(sd / Math.sqrt(xs.length)).toFixed(3)} | ${sd.toFixed(3)} | ${within.toFixed(3)} |`,
    );
  });
}
console.log(
  `gradient of the last candidate's logit per node, ${samples} samples x ${batches.length} batches:`,
);
console.log(rows.join('\n'));
model.dispose();
await d.close();
process.exit(0);

// `node scripts/results-loss-augment.mjs [--quick] [--out DIR]`: issue 9 (CTC against CTC-CRF) and
// issue 10 (none, SpecAugment, speed perturbation, both) on the bundled corpus with one fixed TDNN,
// the same steps for every variant; each model decoded on test and on test_flite (a different
// synthesiser). Writes its section of docs/results.md (between markers, atomically), with the machine,
// date and the load average around every run. The speed-perturbed corpus is read from
// /tmp/stnas-corpus-sp (regenerated with the corpus generator when missing). Run on an idle machine.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  lastJsonLine,
  load,
  lossTableRetrainArgs,
  machine,
  root,
  stnasRun as stnas,
  writeDemoConfig,
} from './stnas-cli.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outIdx = args.indexOf('--out');
const out =
  outIdx >= 0
    ? path.resolve(args[outIdx + 1])
    : path.join(os.tmpdir(), `stnas-results-la-${quick ? 'quick' : 'full'}`);
const corpus = path.join(root, 'packages', 'corpus', 'data');
const spCorpus = '/tmp/stnas-corpus-sp';
// The demo's retrain sizes (stnas demo: batch 16, lr 2e-3, 4 epochs, lr decay after 3) with every
// epoch capped at 50 batches: the 800-utterance set has exactly 50, so only the 3x larger
// speed-perturbed set is subsampled and every variant takes the same 200 steps.
const plan = quick
  ? { epochs: 1, minEpochs: 1, steps: 2, maxUtts: 32 }
  : { epochs: 4, minEpochs: 3, steps: 50, maxUtts: undefined };
const arch = Array(4).fill('tdnn-C1D1Nln');

if (!existsSync(path.join(spCorpus, 'train', 'feats.scp'))) {
  console.error(`${spCorpus} missing: generating it (the corpus generator with --speed-perturb 0.9,1.0,1.1)`);
  execFileSync(
    'npx',
    [
      '-y',
      'pnpm@12.4.2',
      '--filter',
      '@stnas/make-corpus',
      'generate',
      '--speed-perturb',
      '0.9,1.0,1.1',
      '--out',
      spCorpus,
    ],
    { cwd: root, stdio: 'inherit' },
  );
}

mkdirSync(out, { recursive: true });
// DEMO_CONFIG with the corpus's unit count, as stnas demo builds it
const cfgFile = path.join(out, 'config.json');
writeDemoConfig(cfgFile);

const variants = [
  { name: 'ctc', loss: 'ctc', data: corpus, extra: [], label: 'CTC, no augmentation' },
  {
    name: 'ctc-crf',
    loss: 'ctc-crf',
    data: corpus,
    extra: ['--loss', 'ctc-crf'],
    label: 'CTC-CRF (4-gram phone LM, lambda 0.01)',
  },
  { name: 'specaug', data: corpus, extra: ['--spec-augment'], label: 'CTC + SpecAugment' },
  { name: 'speed', data: spCorpus, extra: [], label: 'CTC + speed perturbation 0.9/1.0/1.1' },
  {
    name: 'both',
    data: spCorpus,
    extra: ['--spec-augment'],
    label: 'CTC + SpecAugment + speed perturbation',
  },
];
// A bigram denominator LM: far fewer held-out references it forbids (7 of 90 dev against 71 at order 4)
variants.push({
  name: 'ctc-crf-o2',
  data: corpus,
  extra: ['--loss', 'ctc-crf', '--crf-order', '2'],
  label: 'CTC-CRF (2-gram phone LM, lambda 0.01)',
});
// Longer runs (twice the steps) of the three on the bundled training set: does the ranking hold?
for (const v of variants.slice(0, 3))
  variants.push({ ...v, name: `${v.name}-x2`, epochs: 2 * plan.epochs, label: `${v.label}, 2x steps` });
const only = args.indexOf('--only');
const chosen = only >= 0 ? variants.filter((v) => args[only + 1].split(',').includes(v.name)) : variants;

const started = new Date();
const rows = [];
// rows of an earlier invocation with the same plan are reused (a rerun after an interruption)
const rowsFile = path.join(out, 'rows.json');
const previous = existsSync(rowsFile) ? JSON.parse(readFileSync(rowsFile, 'utf8')) : [];
for (const v of chosen) {
  const prev = previous.find(
    (r) => r.name === v.name && (r.plan === undefined || JSON.stringify(r.plan) === JSON.stringify(plan)),
  );
  if (prev) {
    rows.push(prev);
    continue;
  }
  const epochs = v.epochs ?? plan.epochs;
  const common = ['--backend', 'auto'];
  const loadBefore = load();
  const t0 = performance.now();
  const train = stnas(
    [
      ...common,
      ...lossTableRetrainArgs({
        config: cfgFile,
        out,
        name: v.name,
        data: v.data,
        epochs,
        minEpochs: plan.minEpochs,
        steps: plan.steps,
        maxUtts: plan.maxUtts,
      }),
      ...v.extra,
      '--json',
    ],
    `retrain ${v.name}`,
  );
  const seconds = (performance.now() - t0) / 1000;
  const loadAfter = load();
  const model = lastJsonLine(train.stdout).model;
  const infinite = /(\d+) of (\d+) dev utterances have an infinite CTC-CRF loss/.exec(train.stderr);
  const per = {};
  for (const set of ['test', 'test_flite']) {
    const d = stnas(
      [
        ...common,
        'decode',
        '--model',
        model,
        '--data',
        path.join(corpus, set),
        ...(plan.maxUtts ? ['--max-utts', String(plan.maxUtts)] : []),
        '--json',
      ],
      `decode ${v.name} ${set}`,
    );
    per[set] = lastJsonLine(d.stdout).per;
  }
  const hist = JSON.parse(readFileSync(path.join(model, 'history.json'), 'utf8')).history;
  const manifest = JSON.parse(readFileSync(path.join(model, 'model.json'), 'utf8'));
  const row = {
    ...v,
    plan,
    seconds,
    loadBefore,
    loadAfter,
    per,
    steps: hist.length * plan.steps,
    bestEpoch: manifest.bestEpoch,
    devLoss: manifest.devLoss,
    infinite: infinite ? `${infinite[1]} of ${infinite[2]}` : '',
  };
  rows.push(row);
  console.error(
    `${v.name}: test ${(per.test * 100).toFixed(2)}%, test_flite ${(per.test_flite * 100).toFixed(2)}%, ${seconds.toFixed(0)} s, load ${loadBefore} -> ${loadAfter}`,
  );
  writeFileSync(rowsFile, JSON.stringify(rows, null, 2));
}

// Greedy decoding ignores what CTC-CRF learns with its LM; also decode both losses with prefix beam
// search (width 8) and the CTC-CRF run's phone LM (estimated from the training labels), weight 0.5.
const phoneLm = path.join(out, 'ctc-crf', 'phone_lm.arpa');
for (const r of rows) {
  if (
    r.perLm !== undefined ||
    !['ctc', 'ctc-crf', 'ctc-x2', 'ctc-crf-x2'].includes(r.name) ||
    !existsSync(phoneLm)
  )
    continue;
  const d = stnas(
    [
      'decode',
      '--model',
      path.join(out, r.name),
      '--data',
      path.join(corpus, 'test'),
      '--beam',
      '8',
      '--lm',
      phoneLm,
      '--lm-weight',
      '0.5',
      ...(plan.maxUtts ? ['--max-utts', String(plan.maxUtts)] : []),
      '--json',
    ],
    `beam decode ${r.name}`,
  );
  r.perLm = lastJsonLine(d.stdout).per;
  console.error(`${r.name}: test PER with beam 8 + phone LM ${(r.perLm * 100).toFixed(2)}%`);
  writeFileSync(rowsFile, JSON.stringify(rows, null, 2));
}

const pct = (x) => `${(x * 100).toFixed(2)}%`;
const line = (r) =>
  `| ${r.label} | ${pct(r.per.test)} | ${pct(r.per.test_flite)} | ${r.steps} | ${r.bestEpoch} | ${r.devLoss.toFixed(2)} | ${(r.seconds / 60).toFixed(1)} min | ${r.loadBefore} / ${r.loadAfter} |`;
const head =
  '| variant | test PER | test_flite PER | steps | best epoch | dev CTC loss | train+decode wall | load avg before / after |\n| --- | --- | --- | --- | --- | --- | --- | --- |';
const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
const table = (names) => [head, ...names.filter((n) => byName[n]).map((n) => line(byName[n]))].join('\n');
const lmTable = [
  '| variant | test PER, greedy | test PER, beam 8 + phone 4-gram LM (weight 0.5) |',
  '| --- | --- | --- |',
  ...['ctc', 'ctc-crf', 'ctc-x2', 'ctc-crf-x2']
    .filter((n) => byName[n]?.perLm !== undefined)
    .map((n) => `| ${byName[n].label} | ${pct(byName[n].per.test)} | ${pct(byName[n].perLm)} |`),
].join('\n');
const crf = byName['ctc-crf'];
// Points of PER against a baseline row, per test set (negative: better).
const diff = (a, b) =>
  byName[a] && byName[b]
    ? ['test', 'test_flite']
        .map((set) => ((byName[a].per[set] - byName[b].per[set]) * 100).toFixed(2))
        .join(' / ')
    : 'n/a';
const helps = ['specaug', 'speed', 'both'].filter(
  (n) =>
    byName[n] &&
    byName.ctc &&
    ['test', 'test_flite'].every((set) => byName[n].per[set] < byName.ctc.per[set] - 0.01),
);
const reading = `Change in PER points against no augmentation (test / test_flite): SpecAugment ${diff('specaug', 'ctc')}, speed perturbation ${diff('speed', 'ctc')}, both ${diff('both', 'ctc')}; with twice the steps, SpecAugment ${diff('specaug-x2', 'ctc-x2')}. CTC-CRF against CTC: ${diff('ctc-crf', 'ctc')} (${diff('ctc-crf-x2', 'ctc-x2')} with twice the steps). ${
  helps.length
    ? `Lower by more than a point on both sets: ${helps.join(', ')}.`
    : 'No augmentation lowered the PER by more than a point on both sets at this training length, so `--spec-augment` and `--speed-perturb` stay opt-in rather than defaults.'
}`;
// The CTC against CTC-CRF block of scripts/results-ctc-crf.mjs lives inside this section: keep it.
const resultsDoc = path.join(root, 'docs', 'results.md');
const crfBlock =
  (existsSync(resultsDoc)
    ? /<!-- begin: ctc-crf -->[\s\S]*?<!-- end: ctc-crf -->\n?/.exec(readFileSync(resultsDoc, 'utf8'))?.[0]
    : undefined) ?? '';
const section = `<!-- begin: loss-augment -->
## CTC against CTC-CRF, and data augmentation (issues 9 and 10)

Written by \`node scripts/results-loss-augment.mjs${quick ? ' --quick' : ''}\` on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${machine()}.
${quick ? '\n**QUICK SMOKE RUN: a few steps per model. These numbers check the script; they are not results.**\n' : ''}
One fixed TDNN from the demo config (\`${arch.join(' ')}\`, MFRNet, 128 units, stride 3 after block 2),
trained with \`stnas retrain\` at the demo's sizes (batch 16, lr 2e-3, seed 0), ${plan.epochs} epochs of
${plan.steps} batches each for every variant, so each model takes the same number of steps (the
3x larger speed-perturbed set is subsampled per epoch, not trained longer). Dev (early stopping and
the best checkpoint): the bundled dev set, CTC loss. Greedy decoding, phone error rate on the
bundled test set (120 utterances, 4 unseen speakers, the training synthesiser) and on test_flite
(the same sentences spoken by a different synthesiser, flite).${crf?.infinite ? ` With CTC-CRF, ${crf.infinite} dev references contain a phone 4-gram the training labels never had (infinite CRF loss under the un-smoothed LM), so early stopping uses the dev CTC loss of the same logits.` : ''}

### CTC against CTC-CRF

${table(['ctc', 'ctc-crf', 'ctc-crf-o2'])}

Decoded with prefix beam search and the CTC-CRF run's \`phone_lm.arpa\` (the LM its denominator was built from):

${lmTable}

The phone LM is un-smoothed, as CAT's denominator LM: n-grams the training transcripts never had are
forbidden, and most held-out references contain one at order 4 (71 of the 90 dev references). Beam
search under that LM cannot produce those references, which is why it raises the CTC model's PER; it
helps the CTC-CRF model, whose outputs were trained against the same LM, but not enough to reach CTC
here. These are short runs of a small model on a small corpus; the paper's CTC-CRF gains are on WSJ
with WFST decoding and a word LM, which this comparison does not reproduce.
${crfBlock ? `\n${crfBlock}` : ''}
### Augmentation at equal training steps

${table(['ctc', 'specaug', 'speed', 'both'])}

### Twice the steps (${2 * plan.epochs} epochs of ${plan.steps} batches, the bundled training set)

${table(['ctc-x2', 'ctc-crf-x2', 'specaug-x2'])}

${reading}

The speed-perturbed training set is \`${spCorpus}\` (made by the corpus generator's \`--speed-perturb
0.9,1.0,1.1\`, 2400 utterances). SpecAugment: 2 frequency masks of up to 10 bins (the same band in the
statics and both deltas), 2 time masks of up to 40 frames and 20% of the utterance, no warping, drawn
per step from the run seed. The machine was shared with other jobs during these runs: the load
averages above say how much; PER differences of under about one point between single runs (one seed)
are within noise.
<!-- end: loss-augment -->
`;
writeFileSync(path.join(out, 'section.md'), section);
const target = path.join(root, 'docs', 'results.md');
const old = existsSync(target) ? readFileSync(target, 'utf8') : '# Results\n';
const re = /<!-- begin: loss-augment -->[\s\S]*?<!-- end: loss-augment -->\n?/;
const doc = re.test(old) ? old.replace(re, section) : `${old.trimEnd()}\n\n${section}`;
const tmpDoc = `${target}.tmp-${process.pid}`;
writeFileSync(tmpDoc, doc);
renameSync(tmpDoc, target);
console.error(`wrote ${target}`);

// `node scripts/results-word-lm.mjs [--only ctc,ctc-crf] [--models name=DIR,...] [--out DIR]`:
// issue 17, word error rates. Builds a word 3-gram (stnas lm, modified Kneser-Ney) from the bundled
// corpus's training transcripts, then decodes the models of docs/results.md's loss table with it
// (stnas decode --word-lm, LM weight and word bonus tuned on the dev set) on test and test_flite.
// Models come from --models, or are trained here exactly as scripts/results-loss-augment.mjs
// trains them (the same retrain arguments), or are reused from OUT when a rerun finds them.
// Writes its section of docs/results.md between markers, atomically, with the load around every run.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  load,
  lossTableRetrainArgs,
  machine,
  root,
  stnasJson as stnas,
  writeDemoConfig,
} from './stnas-cli.mjs';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const out = path.resolve(opt('--out') ?? path.join(os.tmpdir(), 'stnas-results-word-lm'));
const corpus = path.join(root, 'packages', 'corpus', 'data');

const variants = [
  { name: 'ctc', extra: [], label: 'CTC, no augmentation' },
  { name: 'ctc-crf', extra: ['--loss', 'ctc-crf'], label: 'CTC-CRF (4-gram phone LM, lambda 0.01)' },
];
const only = (opt('--only') ?? 'ctc').split(',');
const given = new Map(
  (opt('--models') ?? '')
    .split(',')
    .filter(Boolean)
    .map((kv) => kv.split('=')),
);

mkdirSync(out, { recursive: true });
const started = new Date();
const lmFile = path.join(out, 'words.3g.arpa');
const lm = stnas(
  [
    'lm',
    '--text',
    path.join(corpus, 'train', 'text'),
    '--order',
    '3',
    '--out',
    lmFile,
    '--dev',
    path.join(corpus, 'dev', 'text'),
    '--json',
  ],
  'stnas lm',
);

// The loss table's retrain: DEMO_CONFIG with the corpus's units, 4 x tdnn-C1D1Nln, 4 epochs of 50 batches.
const cfgFile = path.join(out, 'config.json');
if (!existsSync(cfgFile)) writeDemoConfig(cfgFile);
function train(v) {
  const dir = path.join(out, v.name);
  if (existsSync(path.join(dir, 'model.json'))) return dir;
  return stnas(
    [...lossTableRetrainArgs({ config: cfgFile, out, name: v.name }), ...v.extra, '--json'],
    `retrain ${v.name}`,
  ).model;
}

const rows = [];
for (const v of variants.filter((x) => only.includes(x.name))) {
  const loadBefore = load();
  const t0 = performance.now();
  const model = given.get(v.name) ?? train(v);
  const trainSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const test = stnas(
    [
      'decode',
      '--model',
      model,
      '--data',
      path.join(corpus, 'test'),
      '--word-lm',
      lmFile,
      '--beam',
      '16',
      '--tune-dev',
      path.join(corpus, 'dev'),
      '--json',
    ],
    `decode ${v.name} test`,
  );
  const decodeSeconds = (performance.now() - t1) / 1000;
  // prettier-ignore
  const flite = stnas(
    [
      'decode',
      '--model',
      model,
      '--data',
      path.join(corpus, 'test_flite'),
      '--word-lm',
      lmFile,
      '--beam',
      '16',
      // --word-bonus=-1, not "--word-bonus -1", which the argument parser reads as an option
      `--lm-weight=${test.lmWeight}`,
      `--word-bonus=${test.wordBonus}`,
      '--json',
    ],
    `decode ${v.name} test_flite`,
  );
  rows.push({ ...v, test, flite, trainSeconds, decodeSeconds, loadBefore, loadAfter: load() });
  console.error(`${v.name}: test PER ${test.per}, WER ${test.wer}; test_flite WER ${flite.wer}`);
}

const pct = (x) => `${(100 * x).toFixed(2)}%`;
const section = [
  '<!-- begin: word-lm -->',
  '## Word error rates with a word 3-gram (issue 17)',
  '',
  `Written by \`node scripts/results-word-lm.mjs\` on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${machine()}.`,
  '',
  `The word LM: \`stnas lm\` on the bundled training transcripts, a 3-gram with interpolated modified`,
  `Kneser-Ney (${lm.ngrams.join(' / ')} n-grams, dev perplexity ${lm.devPerplexity.toFixed(2)}). Each model of the loss table`,
  'above (the same retrain arguments, retrained here) is decoded with `stnas decode --word-lm` at beam 16:',
  'the lexicon-constrained search with every pronunciation of the bundled lexicon. The LM weight and word',
  'bonus are chosen by WER on the dev set from a grid of 0.25, 0.5, 1, 1.5, 2 by -1, 0, 1, 2 and reused for',
  "test_flite. The greedy PER is the same model's, for comparison (retrained here with the current code, so it can differ",
  "from the loss table's). WER counts words the lexicon lacks as errors. A CTC-CRF model is no self-normalised phone",
  'recogniser, so its greedy PER is not a fair measure of it; the WER through the word LM is.',
  '',
  '| model | test greedy PER | test WER (word 3-gram) | test_flite WER | LM weight | word bonus | dev WER | decode wall (tuning + test) | load avg before / after |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.label} | ${pct(r.test.per)} | ${pct(r.test.wer)} | ${pct(r.flite.wer)} | ${r.test.lmWeight} | ${r.test.wordBonus} | ${pct(r.test.devWer)} | ${(r.decodeSeconds / 60).toFixed(1)} min | ${r.loadBefore} / ${r.loadAfter} |`,
  ),
  '<!-- end: word-lm -->',
].join('\n');

const doc = path.join(root, 'docs', 'results.md');
const text = readFileSync(doc, 'utf8');
const re = /<!-- begin: word-lm -->[\s\S]*?<!-- end: word-lm -->/;
const next = re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}\n`;
writeFileSync(`${doc}.tmp`, next);
renameSync(`${doc}.tmp`, doc);
writeFileSync(path.join(out, 'rows.json'), JSON.stringify(rows, null, 2));
console.log(section);

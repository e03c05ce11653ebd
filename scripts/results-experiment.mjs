// `node scripts/results-experiment.mjs [--plan FILE] [--out DIR] [--jobs N] [--note TEXT] [--print]`: issue 19.
// Runs `stnas experiment` on a plan (default packages/trainer/examples/plan-bundled.json; a rerun on
// the same DIR repeats no finished job, so an interrupted run continues) and writes its section of
// docs/results.md between markers, atomically: the groups with mean and sd of test PER, every run's
// architecture, and the paired bootstrap intervals, with the machine, the load and the job span.
// --print only prints the section.
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load, machine, root, stnasJson as stnas } from './stnas-cli.mjs';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const plan = path.resolve(
  opt('--plan') ?? path.join(root, 'packages', 'trainer', 'examples', 'plan-bundled.json'),
);
const out = path.resolve(opt('--out') ?? path.join(os.tmpdir(), 'stnas-results-experiment'));
const jobs = opt('--jobs') ?? '2';

const loadBefore = load();
const started = new Date();
const r = stnas(['experiment', '--plan', plan, '--out', out, '--jobs', jobs, '--json'], 'stnas experiment');
const loadAfter = load();

// The span of the jobs themselves (the first attempt's start to the last result), which a rerun
// that only collected does not show in its own wall time.
let first = Number.POSITIVE_INFINITY;
let last = 0;
for (const id of readdirSync(path.join(out, 'jobs'))) {
  const log = readFileSync(path.join(out, 'jobs', id, 'log.txt'), 'utf8');
  const m = /^== (\S+) attempt/m.exec(log);
  if (m) first = Math.min(first, Date.parse(m[1]));
  last = Math.max(last, statSync(path.join(out, 'jobs', id, 'result.json')).mtimeMs);
}
const jobCount = readdirSync(path.join(out, 'jobs')).length;
const minutes = (ms) => `${Math.round(ms / 60000)} min`;
const pct = (x) => `${(x * 100).toFixed(2)}%`;
const pts = (x) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}`;
const p = JSON.parse(readFileSync(plan, 'utf8'));
const z = p.sizes ?? {};

const lines = [
  '<!-- begin: experiment -->',
  '## `stnas experiment`: searched against random and hand-designed architectures (issue 19)',
  '',
  `Written by \`node scripts/results-experiment.mjs\` on ${started.toISOString().slice(0, 10)}: ${machine()}; load average ${loadBefore} when the script started and ${loadAfter} when it ended.${opt('--note') ? ` ${opt('--note')}` : ''}`,
  '',
  `Plan \`${path.relative(root, plan)}\` on the bundled corpus, local pool of ${jobs} processes: ${p.search?.seeds?.length ?? 1} ST searches (seeds ${(p.search?.seeds ?? [0]).join(', ')}), ${p.random?.count ?? 0} random architectures, ${(p.baselines ?? []).length} baselines, retrain seeds ${(p.retrain?.seeds ?? [0]).join(', ')}; every stage ${z.stepsPerEpoch ?? 'all'} batches of ${z.batchSize} per epoch, ${z.warmupEpochs} warmup, ${z.searchEpochs} search and ${z.retrainEpochs} retrain epochs, greedy decoding of the ${r.testUtterances} test utterances. ${jobCount} jobs ran from ${new Date(first).toISOString().slice(11, 16)} to ${new Date(last).toISOString().slice(11, 16)} UTC (${minutes(last - first)}).`,
  '',
  '| group | kind | runs | params (mean) | test PER (mean ± sd) |',
  '| --- | --- | ---: | ---: | ---: |',
  ...r.groups.map(
    (g) =>
      `| ${g.name} | ${g.kind} | ${g.runs.length} | ${Math.round(g.meanParams).toLocaleString('en-US')} | ${pct(g.meanPer)} ± ${(g.sdPer * 100).toFixed(2)} |`,
  ),
  '',
  `Searched against each group: paired bootstrap over the ${r.testUtterances} test utterances (Bisani and Ney 2004), ${r.bootstrap.samples} draws, seed ${r.bootstrap.seed}; PER points, negative when the searched architectures make fewer errors.`,
  '',
  '| searched | against | PER difference | 95% CI | P(searched better) |',
  '| --- | --- | ---: | ---: | ---: |',
  ...r.comparisons.map(
    (c) =>
      `| ${c.a} | ${c.b} | ${pts(c.perDiff)} | [${pts(c.ci95[0])}, ${pts(c.ci95[1])}] | ${c.pImprove.toFixed(3)} |`,
  ),
  '',
  'The runs:',
  '',
  '| group | architecture | seed | params | test PER |',
  '| --- | --- | ---: | ---: | ---: |',
  ...r.groups.flatMap((g) =>
    g.runs.map(
      (run) =>
        `| ${g.name}${run.searchSeed === undefined ? '' : ` (search seed ${run.searchSeed})`} | ${run.architecture} | ${run.seed} | ${run.params.toLocaleString('en-US')} | ${pct(run.testPer)} |`,
    ),
  ),
  '<!-- end: experiment -->',
];

if (args.includes('--print')) {
  console.log(lines.join('\n'));
  process.exit(0);
}
const file = path.join(root, 'docs', 'results.md');
const text = readFileSync(file, 'utf8');
const section = lines.join('\n');
const begin = text.indexOf('<!-- begin: experiment -->');
const end = text.indexOf('<!-- end: experiment -->');
const next =
  begin >= 0 && end > begin
    ? `${text.slice(0, begin)}${section}${text.slice(end + '<!-- end: experiment -->'.length)}`
    : `${text.trimEnd()}\n\n${section}\n`;
writeFileSync(`${file}.tmp`, next);
renameSync(`${file}.tmp`, file);
console.log(section);

// `node scripts/results.mjs [--quick] [--seeds 0,1,2] [--estimator NAME] [--parallel] [--reuse-warmup]
//                           [--reuse-baselines] [--collect] [--no-bench] [--out DIR] [--doc FILE] [--note FILE]`
//
// Runs `stnas demo --json` once per seed on the bundled corpus and writes the `demo` section of
// docs/results.md: the architecture each search chose (and how decided it was), the test PER of
// every retrained model, mean and sd of the searched architectures against the baselines and the
// random architectures, a per-utterance comparison, the wall time and the load, and plainly where
// the search does not beat the baselines. Then (unless --no-bench) the trainer's search-step
// benchmark writes the `search-step` section. Every other section of docs/results.md is kept as it
// is, re-read just before writing.
//
// --reuse-baselines trains the two baselines once (the first seed's run) and copies them into the
// other seeds' run dirs, where the demo resumes them as finished: they do not depend on the search,
// only on the retrain seed, so the section then reports them as one run each (no sd).
// --reuse-warmup lets the seeds after the first start from the first seed's warmup (copied once it has
// finished): the seeds then differ in the search and the retrains only ("search seeds").
// --parallel runs the seeds' demos at the same time (with --reuse-warmup, the others start when the
// first seed's warmup is done); not with --reuse-baselines. --collect runs nothing and writes the
// section from the seed dirs under --out as they are (finished or not): models not yet trained are
// named as such. The section is rewritten whenever a seed finishes.
// --note FILE adds its text (what a person read in the p, the curves and the per-utterance output)
// under the computed statements.
// --estimator NAME passes `stnas demo --estimator NAME` (default: the demo's, leg).
// --quick runs the smoke-test sizes (a check of the script, not results).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { machine as describeMachine, load, root, tsx } from './stnas-cli.mjs';

const args = process.argv.slice(2);
const ESTIMATOR_NAMES = {
  st: "ST-NAS's straight-through gradient (`st`)",
  leg: 'the local expectation gradient (`leg`)',
};
const flag = (name) => args.includes(name);
const value = (name, fallback) => {
  const k = args.indexOf(name);
  return k >= 0 ? args[k + 1] : fallback;
};
const quick = flag('--quick');
const estimator = value('--estimator', undefined);
const reuseBaselines = flag('--reuse-baselines');
const reuseWarmup = flag('--reuse-warmup');
const parallel = flag('--parallel');
const collectOnly = flag('--collect');
if (parallel && reuseBaselines && !collectOnly)
  throw new Error('--reuse-baselines needs the seeds in turn: not with --parallel');
const seeds = value('--seeds', '0,1,2')
  .split(',')
  .map((s) => Number.parseInt(s, 10));
if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new Error('--seeds takes integers, e.g. 0,1,2');
const base = path.resolve(
  value('--out', path.join(os.tmpdir(), `stnas-results-demo-${quick ? 'quick' : 'full'}`)),
);
const node = process.execPath;
const cli = path.join(root, 'packages/trainer/src/cli.ts');

const machine = describeMachine();
const pct = (x) => `${(x * 100).toFixed(2)}%`;
const readJson = (f) => JSON.parse(readFileSync(f, 'utf8'));
let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
} catch {}

const seedDir = (seed) => path.join(base, `seed-${seed}`);
const metaFile = (seed) => path.join(seedDir(seed), 'results-meta.json');
let demoSource = 'unknown';
try {
  const file = 'packages/trainer/src/stages/demo.ts';
  const work = execFileSync('git', ['hash-object', file], { cwd: root }).toString().trim();
  const head = execFileSync('git', ['rev-parse', `HEAD:${file}`], { cwd: root })
    .toString()
    .trim();
  demoSource =
    work === head
      ? `as committed in ${commit}`
      : `with uncommitted changes over ${commit} (blob ${work.slice(0, 10)})`;
} catch {}

/** Runs one demo, streaming its stderr; records its wall time, loads and warning in the seed dir. */
function runDemo(seed, out) {
  return new Promise((resolve, reject) => {
    const loadBefore = load();
    const t0 = performance.now();
    mkdirSync(out, { recursive: true });
    writeFileSync(metaFile(seed), JSON.stringify({ seed, startedAt: Date.now(), loadBefore, demoSource }));
    const child = spawn(
      node,
      [
        ...tsx,
        cli,
        'demo',
        '--out',
        out,
        '--seed',
        String(seed),
        '--json',
        ...(quick ? ['--quick'] : []),
        ...(estimator ? ['--estimator', estimator] : []),
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout.trim().split('\n');
      const meta = {
        seed,
        demoSource,
        seconds: (performance.now() - t0) / 1000,
        loadBefore,
        loadAfter: load(),
        exit: code,
        warning: stderr.split('\n').find((l) => l.startsWith('warning: the search did not decide')),
        table: lines
          .slice(
            0,
            Math.max(
              0,
              lines.findIndex((l) => l.startsWith('report: ')),
            ),
          )
          .join('\n'),
      };
      writeFileSync(metaFile(seed), JSON.stringify(meta));
      if (code !== 0) reject(new Error(`stnas demo --seed ${seed} failed (exit ${code})`));
      else resolve(meta);
    });
  });
}

const decoded = new Map();
/** Per-utterance errors of model dirs on the bundled test set (greedy, as the demo); cached per model. */
function perUtterance(modelDirs) {
  const key = (m) => `${m}@${statSync(path.join(m, 'weights.ckpt')).mtimeMs}`;
  const todo = modelDirs.filter((m) => !decoded.has(key(m)));
  if (todo.length > 0) for (const [m, u] of Object.entries(decodeModels(todo))) decoded.set(key(m), u);
  return Object.fromEntries(modelDirs.map((m) => [m, decoded.get(key(m))]));
}

function decodeModels(modelDirs) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'stnas-results-utt-'));
  const script = path.join(tmp, 'per-utterance.mts');
  const index = pathToFileURL(path.join(root, 'packages/trainer/src/index.ts')).href;
  writeFileSync(
    script,
    `import { corpusDir, runDecode, selectBackend } from ${JSON.stringify(index)};
await selectBackend('auto');
const out: Record<string, unknown> = {};
for (const m of ${JSON.stringify(modelDirs)}) {
  const r = await runDecode({ model: m, data: corpusDir() + '/test', beam: 0, lmWeight: 0${quick ? ', maxUtts: 24' : ''} });
  out[m] = r.perUtterance;
}
process.stdout.write(JSON.stringify(out));
`,
  );
  const r = spawnSync(node, [...tsx, script], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 26,
  });
  rmSync(tmp, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`per-utterance decode failed (exit ${r.status})`);
  return JSON.parse(r.stdout);
}

const stageEpochs = (dir) => {
  const f = path.join(dir, 'history.json');
  if (!existsSync(f)) return undefined;
  const h = readJson(f);
  return {
    epochs: h.history.length,
    best: h.schedule.bestEpoch,
    reason: h.schedule.reason,
    history: h.history,
  };
};

const MODEL_DIRS = ['retrain', 'baseline-small', 'baseline-large', 'random'];

/** One seed's run as its directory holds it (finished or not); undefined before its search ended. */
function gather(seed) {
  const out = seedDir(seed);
  const archFile = path.join(out, 'search', 'architecture.json');
  const stepsFile = path.join(out, 'search', 'steps.jsonl');
  let arch;
  if (existsSync(archFile)) arch = readJson(archFile);
  else {
    // A search still running: its last logged p, and the argmax of each node.
    const last = existsSync(stepsFile) ? readFileSync(stepsFile, 'utf8').trim().split('\n').at(-1) : '';
    if (!last) return undefined;
    let line;
    try {
      line = JSON.parse(last);
    } catch {
      return undefined;
    }
    const config = readJson(path.join(out, 'config.json'));
    const cand = (n) => config.candidate[`${n}-0`] ?? config.candidate.base ?? config.candidate;
    arch = {
      running: true,
      step: line.step,
      probs: line.p,
      ops: line.p.map((p, n) => cand(n)[p.indexOf(Math.max(...p))]),
    };
  }
  const meta = existsSync(metaFile(seed)) ? readJson(metaFile(seed)) : {};
  const resultsFile = path.join(out, 'results.json');
  const finished = existsSync(resultsFile) && meta.exit === 0;
  const results = finished ? readJson(resultsFile).results : undefined;
  const dirs = MODEL_DIRS.map((d) => path.join(out, d));
  const trained = dirs.filter(
    (d) => existsSync(path.join(d, 'model.json')) && existsSync(path.join(d, 'weights.ckpt')),
  );
  const utts = perUtterance(trained);
  const rows = MODEL_DIRS.map((d, i) => {
    if (results) return results[i];
    if (!trained.includes(dirs[i])) return undefined;
    const m = readJson(path.join(dirs[i], 'model.json'));
    const u = utts[dirs[i]];
    const errors = u.reduce((a, x) => a + x.errors, 0);
    const ref = u.reduce((a, x) => a + x.refPhones, 0);
    return { name: d, architecture: m.architecture, params: m.params, testPer: errors / ref };
  });
  const seconds = meta.seconds ?? (meta.startedAt ? (Date.now() - meta.startedAt) / 1000 : Number.NaN);
  return {
    seed,
    out,
    finished,
    seconds,
    loadBefore: meta.loadBefore ?? '?',
    loadAfter: meta.loadAfter ?? (finished ? '?' : 'running'),
    warning: meta.warning,
    table: meta.table ?? '',
    demoSource: meta.demoSource ?? demoSource,
    arch,
    rows,
    stages: Object.fromEntries(
      ['warmup', 'search', ...MODEL_DIRS].map((st) => [st, stageEpochs(path.join(out, st))]),
    ),
    utts,
    dirs,
  };
}
/** Replaces (or appends) the section between `<!-- begin: name -->` and `<!-- end: name -->`. */
function putSection(doc, name, body) {
  const block = `<!-- begin: ${name} -->\n${body.trimEnd()}\n<!-- end: ${name} -->`;
  const re = new RegExp(`<!-- begin: ${name} -->[\\s\\S]*?<!-- end: ${name} -->`);
  return re.test(doc) ? doc.replace(re, () => block) : `${doc.trimEnd()}\n\n${block}\n`;
}

const target = path.resolve(value('--doc', path.join(root, 'docs', 'results.md')));

/** Writes one section of the doc, re-reading it first: other scripts own the other sections. */
function writeSection(name, body) {
  let doc = existsSync(target) ? readFileSync(target, 'utf8') : '# Results\n';
  doc = putSection(doc, name, body);
  const tmpDoc = `${target}.tmp-${process.pid}`;
  writeFileSync(tmpDoc, doc);
  renameSync(tmpDoc, target);
  console.error(`wrote the ${name} section of ${target}`);
}

const writeDemoSection = () => {
  const runs = seeds.map(gather).filter(Boolean);
  if (runs.length > 0) writeSection('demo', demoSection(runs));
};

/** The demo section from the runs so far (written after every seed, so a cut-short run still reports). */
function demoSection(runs) {
  // ---- statistics
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = (xs) =>
    xs.length < 2 ? Number.NaN : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
  const fmtSd = (xs) => (xs.length < 2 ? 'n/a (one run)' : `${(sd(xs) * 100).toFixed(2)}`);
  const rowOf = (run, i) => run.rows[i];
  const done = runs.filter((r) => r.rows.every(Boolean));
  const groups = [
    [`searched (${[...new Set(runs.map((r) => r.arch?.estimator).filter(Boolean))].join(', ') || 'st'})`, 0],
    ['baseline-small', 1],
    ['baseline-large', 2],
    ['random', 3],
  ];
  // A reused baseline is one model: count it once.
  const groupValues = (i) => {
    const vals = runs.map((r) => rowOf(r, i)?.testPer).filter((x) => x !== undefined);
    return reuseBaselines && (i === 1 || i === 2) ? vals.slice(0, 1) : vals;
  };
  const stats = groups.map(([name, i]) => {
    const v = groupValues(i);
    return { name, i, v, mean: mean(v), sd: sd(v) };
  });

  // ---- per-utterance comparison of each seed's searched model against the others, pooled over seeds
  const vsRows = groups.slice(1).map(([name, i]) => {
    let better = 0;
    let worse = 0;
    let equal = 0;
    for (const r of runs) {
      const a = r.utts[r.dirs[0]];
      const row = rowOf(r, i);
      if (!row) continue;
      const dir = row.sameAs ? r.dirs[r.rows.findIndex((x) => x?.name === row.sameAs)] : r.dirs[i];
      const b = r.utts[dir];
      if (!a || !b) continue;
      a.forEach((u, k) => {
        const e = b[k].errors;
        if (u.errors < e) better++;
        else if (u.errors > e) worse++;
        else equal++;
      });
    }
    return { name, better, worse, equal };
  });

  // ---- plain statements
  const largestP = (probs) => probs.map((p) => Math.max(...p));
  const statements = [];
  const searched = runs.filter((r) => !r.arch.running);
  const decided = searched.filter((r) => largestP(r.arch.probs).every((x) => x >= 0.6));
  for (const r of runs.filter((x) => x.arch.running))
    statements.push(
      `Seed ${r.seed}: the search was still running (step ${r.arch.step}) when this was written; largest p then ${largestP(
        r.arch.probs,
      )
        .map((x) => x.toFixed(2))
        .join(', ')}.`,
    );
  if (searched.length > 0)
    statements.push(
      `The search decided (every node's largest p at least 0.6) in ${decided.length} of ${searched.length} finished searches` +
        (decided.length < searched.length
          ? `; the others printed "warning: the search did not decide": ${searched
              .filter((r) => !decided.includes(r))
              .map(
                (r) =>
                  `seed ${r.seed} with largest p ${largestP(r.arch.probs)
                    .map((x, n) => `${x.toFixed(2)} (node ${n})`)
                    .join(', ')}${r.warning ? '' : ' (but no warning line was found in its output)'}`,
              )
              .join(
                '; ',
              )}. An undecided node's op is close to a coin flip, so the searched architecture there says little about the method.`
          : '.'),
    );
  for (const r of runs.filter((x) => !done.includes(x)))
    statements.push(
      `Seed ${r.seed}: not finished when this was written (trained so far: ${MODEL_DIRS.filter((_, i) => rowOf(r, i)).join(', ') || 'none'}).`,
    );
  for (const r of done) {
    const s = rowOf(r, 0).testPer;
    const base = [1, 2].map((i) => rowOf(r, i).testPer);
    const best = Math.min(...base);
    const worst = Math.max(...base);
    const bits = [];
    if (s > best) bits.push(`${((s - best) * 100).toFixed(2)} points worse than the best baseline`);
    if (s > best + 0.01) bits.push('more than the 1 point the issue allows');
    if (worst - s < 0.01)
      bits.push(`not 1 point better than the worst baseline (by ${((worst - s) * 100).toFixed(2)})`);
    if (s > rowOf(r, 3).testPer)
      bits.push(`worse than the random architecture (${pct(rowOf(r, 3).testPer)})`);
    statements.push(
      bits.length === 0
        ? `Seed ${r.seed}: the searched architecture (${pct(s)}) beats both baselines (best ${pct(best)}) and the random architecture (${pct(rowOf(r, 3).testPer)}).`
        : `Seed ${r.seed}: the search does not beat everything: searched ${pct(s)} is ${bits.join('; ')}.`,
    );
  }
  const [sS, sSmall, sLarge, sRandom] = stats;
  const bestBase = sSmall.mean <= sLarge.mean ? sSmall : sLarge;
  if (sS.v.length > 0 && bestBase.v.length > 0)
    statements.push(
      sS.mean < bestBase.mean
        ? `On the mean over seeds the searched architectures (${pct(sS.mean)}) beat the better baseline, ${bestBase.name} (${pct(bestBase.mean)}), by ${((bestBase.mean - sS.mean) * 100).toFixed(2)} points${sS.v.length > 1 && Math.abs(bestBase.mean - sS.mean) < 2 * sS.sd ? `, a gap below two of the searched runs' sd (${(sS.sd * 100).toFixed(2)}): not a clear win` : ''}.`
        : `On the mean over seeds the search does not beat the better baseline: searched ${pct(sS.mean)} against ${bestBase.name} ${pct(bestBase.mean)}.`,
    );
  if (sS.v.length > 0 && sRandom.v.length > 0)
    statements.push(
      sS.mean < sRandom.mean
        ? `Against the random architectures (${pct(sRandom.mean)} on the mean) the searched ones are ${((sRandom.mean - sS.mean) * 100).toFixed(2)} points better.`
        : `The search does not beat random architectures: searched ${pct(sS.mean)} against random ${pct(sRandom.mean)} on the mean.`,
    );

  // ---- the section
  const totalMin = runs.reduce((a, r) => a + (Number.isFinite(r.seconds) ? r.seconds : 0), 0) / 60;
  const finished = runs.filter((r) => r.finished);
  const printed = finished.find((r) => r.table);
  const ops = (a) => a.replaceAll('tdnn-', '').replaceAll('Nln', '');
  const section = `## \`stnas demo\`: searched architectures against baselines and random architectures (issue 14)

Written by \`node scripts/results.mjs${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC at commit ${commit}: ${machine}. The machine was shared with other jobs: the load averages say how much.
${quick ? '\n**QUICK SMOKE RUN: a few steps per stage. These numbers check the script; they are not results.**\n' : ''}
Each seed runs the whole demo on the bundled corpus (800 training utterances of 16 synthetic speakers,
dev 90, test 120 utterances of 4 other speakers): warmup, search (architecture gradient: ${[...new Set(runs.map((r) => r.arch?.estimator).filter(Boolean))].map((e) => ESTIMATOR_NAMES[e] ?? e).join(', ') || 'not recorded'}) until the decision is stable
(every node's argmax unchanged for 2 epochs and its largest p at least 0.6) or the search's epoch cap,
then retrains of the searched architecture, the two baselines (the smallest and the largest candidate
in every block) and one architecture drawn uniformly from the space with the same seed, each under the
reference's retrain rule (the lr drops 10x on every non-improving dev epoch after the minimum epochs,
stop below 1e-5, or at the cap); greedy CTC decoding, phone error rate (PER) on the test set. The seed
sets the initialisation, the data order, the path sampling and the random draw.${reuseBaselines ? `\n**The baselines were trained once (seed ${seeds[0]}) and reused by the other seeds**: they do not depend on the search, so their sd over seeds is not measured.` : ''}
The demo's plan (\`demoPlan()\`, packages/trainer/src/stages/demo.ts) ${runs[0].demoSource}.${reuseWarmup ? ` **Seeds after the first start from seed ${seeds[0]}'s warmup** (three search seeds over one warmup): they differ in the search and the retrains.` : ''}${parallel ? ' The seeds ran at the same time (wall times overlap).' : ''}
Wall time summed over demos: **${totalMin.toFixed(1)} min**.${finished.length < seeds.length ? ` **Only ${finished.length} of the ${seeds.length} requested seeds (${seeds.join(', ')}) had finished when this was written; rows of unfinished seeds show the models trained so far.**` : ''}

| seed | searched architecture | largest p per node | search | searched | small | large | random (architecture) | wall | load before / after |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${runs
  .map((r) => {
    const cell = (i) =>
      !rowOf(r, i)
        ? 'not yet'
        : rowOf(r, i).sameAs
          ? `${pct(rowOf(r, i).testPer)} (same as ${rowOf(r, i).sameAs === rowOf(r, 0).name ? 'searched' : rowOf(r, i).sameAs})`
          : pct(rowOf(r, i).testPer);
    const st = r.stages.search;
    return `| ${r.seed} | \`${ops(r.arch.ops.join(' '))}\` | ${largestP(r.arch.probs)
      .map((x) => x.toFixed(2))
      .join(
        ' ',
      )} | ${r.arch.running ? `running (step ${r.arch.step})` : st ? `${st.epochs} epoch${st.epochs === 1 ? '' : 's'}: ${st.reason ?? ''}${r.arch.pathCheck ? `; the derived architecture ranks ${r.arch.pathCheck.rank} of ${r.arch.pathCheck.paths} paths by held-out loss` : ''}` : ''} | ${cell(0)} | ${cell(1)} | ${cell(2)} | ${cell(3)}${rowOf(r, 3) ? ` (\`${ops(rowOf(r, 3).architecture)}\`)` : ''} | ${(r.seconds / 60).toFixed(1)} min${r.finished ? '' : ' so far'} | ${r.loadBefore} / ${r.loadAfter} |`;
  })
  .join('\n')}

| model | runs | test PER, mean | sd (points) | min | max |
| --- | --- | --- | --- | --- | --- |
${stats.map((s) => (s.v.length === 0 ? `| ${s.name} | 0 | | | | |` : `| ${s.name} | ${s.v.length} | ${pct(s.mean)} | ${fmtSd(s.v)} | ${pct(Math.min(...s.v))} | ${pct(Math.max(...s.v))} |`)).join('\n')}

Per test utterance, each seed's searched model against the model of the same seed (pooled over seeds;
fewer phone errors is better):

| searched against | utterances better | worse | equal |
| --- | --- | --- | --- |
${vsRows.map((v) => `| ${v.name} | ${v.better} | ${v.worse} | ${v.equal} |`).join('\n')}

Epochs trained (best epoch) per stage:

| seed | warmup | search | searched | small | large | random |
| --- | --- | --- | --- | --- | --- | --- |
${runs
  .map(
    (r) =>
      `| ${r.seed} | ${['warmup', 'search', ...MODEL_DIRS].map((s) => (r.stages[s] ? `${r.stages[s].epochs} (${r.stages[s].best})` : 'not trained')).join(' | ')} |`,
  )
  .join('\n')}

### Where the search does and does not beat the baselines

${statements.map((s) => `- ${s}`).join('\n')}
${value('--note') ? `\n${readFileSync(value('--note'), 'utf8').trim()}\n` : ''}
${
  printed
    ? `As printed by \`stnas demo --seed ${printed.seed}\`:

\`\`\`
${printed.table}
\`\`\`
`
    : ''
}`;

  return section;
}

/** Waits until a stage dir's history says the stage stopped. */
async function stageDone(dir) {
  for (;;) {
    const h = path.join(dir, 'history.json');
    if (existsSync(h) && readJson(h).schedule?.stopped) return;
    await new Promise((r) => setTimeout(r, 10_000));
  }
}

/** Copies the first seed's finished stage dirs into a seed's run dir, where the demo resumes them. */
function reuse(seed, stages) {
  const first = seedDir(seeds[0]);
  for (const d of stages) {
    const to = path.join(seedDir(seed), d);
    if (!existsSync(to) && existsSync(path.join(first, d, 'history.json')))
      cpSync(path.join(first, d), to, { recursive: true });
  }
}

async function runSeed(seed, k) {
  const out = seedDir(seed);
  if (k > 0 && reuseWarmup) {
    await stageDone(path.join(seedDir(seeds[0]), 'warmup'));
    reuse(seed, ['warmup']);
  }
  if (k > 0 && reuseBaselines) reuse(seed, ['baseline-small', 'baseline-large']);
  console.error(`== stnas demo --seed ${seed}${quick ? ' --quick' : ''} --out ${out} (load ${load()})`);
  try {
    await runDemo(seed, out);
  } catch (err) {
    console.error(String(err));
  }
  writeDemoSection();
}

if (!collectOnly) {
  if (parallel) await Promise.all(seeds.map((seed, k) => runSeed(seed, k)));
  else for (const [k, seed] of seeds.entries()) await runSeed(seed, k);
}
writeDemoSection();

// ---- the search-step benchmark
let benchSection;
if (!flag('--no-bench')) {
  console.error('== search-step benchmark');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'stnas-results-'));
  const benchJson = path.join(tmp, 'bench.json');
  const loadBefore = load();
  const bench = spawnSync(node, [...tsx, path.join(root, 'packages/trainer/bench/search-step.bench.ts')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, STNAS_RESULTS_JSON: benchJson, ...(quick ? { STNAS_BENCH_QUICK: '1' } : {}) },
  });
  if (bench.status !== 0) {
    console.error(`the search-step benchmark failed (exit ${bench.status})`);
    process.exit(1);
  }
  const step = readJson(benchJson);
  rmSync(tmp, { recursive: true, force: true });
  let torch = 'not installed';
  try {
    torch = execFileSync('/usr/bin/python3', ['-c', 'import torch;print(torch.__version__)'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {}
  benchSection = `## Search step: frames per second against PyTorch, time and memory per estimator

Written by \`node scripts/results.mjs\` on ${new Date().toISOString().slice(0, 10)}: ${machine}; load average before / after ${loadBefore} / ${load()}; torch ${torch}.
${quick ? '\n**QUICK SMOKE RUN: shrunken benchmark shapes, not results.**\n' : ''}
${step.table}

${step.notes}
`;
}

if (benchSection) writeSection('search-step', benchSection);

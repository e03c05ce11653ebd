// Lexicon beam search with a word 3-gram on the bundled test set (120 utterances): utterances per
// second and the real-time factor (search time over audio duration, utt2dur). The word 3-gram is
// estimated from the training transcripts with estimateWordLm. Posteriors: the frames of a trained
// model when LEXICON_BENCH_ARK names a Kaldi ark of log-posteriors (`stnas decode --write-logits`),
// and always synthetic ones: each utterance's phones (first pronunciations) spread over its frames
// after the model's 3x subsampling, a spike of 0.55-0.95 on the phone (a random other phone 15% of
// the time) then blank-dominated frames, the rest of the mass spread at random.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdownTable, median, record } from '../../../bench/report';
import { readArk } from '../../data-wsj/src/index';
import { estimateWordLm, lexiconBeamSearch } from '../src/index';
import { mulberry32 as rng } from '../src/mulberry32';

const here = path.dirname(fileURLToPath(import.meta.url));
const data = path.resolve(here, '../../corpus/data');
const REPS = 3;

const lines = (file: string) =>
  readFileSync(path.join(data, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => l.trim().split(/\s+/));

const units = new Map(lines('lang/units.txt').map(([u, id]) => [u!, Number(id)]));
const C = units.size;
const lexicon = new Map<string, number[][]>();
for (const [w, ...phones] of lines('lang/lexicon.txt')) {
  if (w!.startsWith('!')) continue;
  const pron = phones.map((p) => units.get(p)!);
  lexicon.set(w!, [...(lexicon.get(w!) ?? []), pron]);
}
const text = new Map(lines('test/text').map(([k, ...ws]) => [k!, ws]));
const durations = new Map(lines('test/utt2dur').map(([k, d]) => [k!, Number(d)]));
const numFrames = new Map(lines('test/utt2num_frames').map(([k, n]) => [k!, Number(n)]));

interface Utt {
  key: string;
  data: Float32Array;
  frames: number;
}

function synthetic(): Utt[] {
  const r = rng(17);
  return [...text].map(([key, words]) => {
    const phones = words.flatMap((w) => lexicon.get(w)![0]!);
    const T = Math.ceil(numFrames.get(key)! / 3);
    const out = new Float32Array(T * C);
    const spikeAt = new Int32Array(T).fill(-1);
    phones.forEach((p, i) => {
      const t = Math.floor(((i + 0.5) * T) / phones.length);
      spikeAt[t] = r() < 0.15 ? 1 + Math.floor(r() * (C - 1)) : p;
    });
    for (let t = 0; t < T; t++) {
      const top = Math.max(spikeAt[t]!, 0);
      const peak = spikeAt[t]! >= 0 ? 0.55 + 0.4 * r() : 0.8 + 0.15 * r();
      const rest = Array.from({ length: C }, () => r() ** 3);
      const s = rest.reduce((a, b) => a + b, 0) - rest[top]!;
      for (let c = 0; c < C; c++) out[t * C + c] = Math.log(c === top ? peak : ((1 - peak) * rest[c]!) / s);
    }
    return { key, data: out, frames: T };
  });
}

async function fromArk(file: string): Promise<Utt[]> {
  const out: Utt[] = [];
  for await (const { key, value } of readArk(file)) {
    if (!('rows' in value)) throw new Error(`${file}: ${key} is not a matrix`);
    out.push({ key, data: Float32Array.from(value.data), frames: value.rows });
  }
  return out;
}

function wer(utts: Utt[], hyps: string[][]): number {
  let errors = 0;
  let n = 0;
  utts.forEach((u, i) => {
    const ref = text.get(u.key)!;
    const hyp = hyps[i]!;
    const d = Array.from({ length: ref.length + 1 }, (_, a) =>
      Array.from({ length: hyp.length + 1 }, (_, b) => (a === 0 ? b : b === 0 ? a : 0)),
    );
    for (let a = 1; a <= ref.length; a++)
      for (let b = 1; b <= hyp.length; b++)
        d[a]![b] = Math.min(
          d[a - 1]![b]! + 1,
          d[a]![b - 1]! + 1,
          d[a - 1]![b - 1]! + (ref[a - 1] === hyp[b - 1] ? 0 : 1),
        );
    errors += d[ref.length]![hyp.length]!;
    n += ref.length;
  });
  return errors / n;
}

async function main(): Promise<void> {
  const lm = estimateWordLm(
    lines('train/text').map(([, ...ws]) => ws),
    { order: 3 },
  );
  const sets: [string, Utt[]][] = [['synthetic posteriors', synthetic()]];
  const ark = process.env['LEXICON_BENCH_ARK'];
  if (ark) sets.push(['trained CTC model posteriors', await fromArk(ark)]);
  const rows: (string | number)[][] = [];
  const search = (utts: Utt[], beamWidth: number, withLm: boolean) =>
    utts.map((u) => {
      const [best] = lexiconBeamSearch({ data: u.data, shape: [1, u.frames, C] }, [u.frames], {
        lexicon,
        ...(withLm ? { lm, lmWeight: 1, wordBonus: 1 } : {}),
        beamWidth,
      })[0]!;
      return best?.words ?? [];
    });
  for (const [name, utts] of sets) {
    const audio = utts.reduce((s, u) => s + durations.get(u.key)!, 0);
    for (const [beam, withLm] of [
      [16, true],
      [4, true],
      [64, true],
      [16, false],
    ] as const) {
      search(utts.slice(0, 10), beam, withLm); // warm-up
      const times: number[] = [];
      let hyps: string[][] = [];
      for (let i = 0; i < REPS; i++) {
        const t0 = performance.now();
        hyps = search(utts, beam, withLm);
        times.push(performance.now() - t0);
      }
      const ms = median(times);
      rows.push([
        name,
        beam,
        withLm ? 'word 3-gram, weight 1, bonus 1' : 'none',
        (utts.length / (ms / 1000)).toFixed(1),
        (ms / 1000 / audio).toFixed(4),
        `${(100 * wer(utts, hyps)).toFixed(2)}%`,
      ]);
    }
  }
  record(
    'Lexicon beam search with a word 3-gram (@stnas/ctc)',
    markdownTable(['posteriors', 'beam', 'LM', 'utterances / s', 'real-time factor', 'WER'], rows),
    `The bundled test set: ${text.size} utterances, ${[...durations.values()].reduce((a, b) => a + b, 0).toFixed(1)} s of audio, frames after 3x subsampling; lexicon ${lexicon.size} words (all pronunciations), the 3-gram from the training transcripts (estimateWordLm, ${lm.ngrams.map((t) => t.size).join(' / ')} n-grams). One thread, median of ${REPS} passes over the set; the real-time factor is search time over audio duration (the acoustic model's forward is not included). The synthetic posteriors are described in packages/ctc/bench/lexicon-beam-search.bench.ts; the trained model is the CTC model of docs/results.md's word-LM section (\`stnas decode --write-logits\`).`,
  );
}

await main();

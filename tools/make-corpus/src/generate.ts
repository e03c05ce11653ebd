// Generates the bundled corpus: eSpeak NG speech → 16 kHz → 40-dim fbank → Kaldi data dirs.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Matrix } from '@stnas/data-wsj';
import { fbank, perturbSpeed, resample, speedPrefix } from '@stnas/features';
import { grammarWords } from './grammar';
import { lexiconLines, unitLines } from './lexicon';
import { DEFAULT_SEED, planCorpus, UTTS_PER_SPEAKER } from './plan';
import { hashString } from './random';
import { speakers } from './speakers';
import { ESPEAK_RATE, loadSynthesizer } from './synthesize';
import { type DataDirUtterance, type SplitSummary, writeDataDir } from './write-data-dir';

export type { SplitSummary } from './write-data-dir';

/** Feature settings of the corpus (Kaldi compute-fbank-feats options). */
export const FBANK_OPTIONS = { sampleFrequency: 16000, numMelBins: 40, dither: 1 } as const;

/** Options of {@link generateCorpus}. */
export interface GenerateOptions {
  /** Folder that receives train/, dev/, test/, lang/ (replaced atomically). */
  outDir: string;
  /** Seed of sentences, their assignment and the dither noise. */
  seed?: number;
  /** Utterances per speaker per split (defaults to the committed corpus's). */
  perSpeaker?: { train: number; dev: number; test: number };
  /**
   * Speed factors for the train split (Kaldi's 3-way perturbation: [0.9, 1.0, 1.1]); copies get
   * `sp<F>-` utterance and speaker ids, factor 1 keeps the originals. Dev and test are never perturbed.
   */
  speedPerturb?: number[];
  /** Progress callback. */
  log?: (line: string) => void;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const lines = (xs: string[]) => (xs.length ? `${xs.join('\n')}\n` : '');

/** Synthesises, featurises and writes the whole corpus; returns per-split sizes. */
export async function generateCorpus(opts: GenerateOptions): Promise<Record<string, SplitSummary>> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const log = opts.log ?? (() => {});
  const plan = planCorpus(seed, opts.perSpeaker ?? UTTS_PER_SPEAKER);
  const factors = opts.speedPerturb ?? [1];
  for (const f of factors) perturbSpeed([], f); // validates each factor before the long run
  if (factors.length === 0 || new Set(factors).size !== factors.length)
    throw new Error(`generate: speedPerturb must list distinct factors, got ${JSON.stringify(factors)}`);
  const synth = await loadSynthesizer();
  const tmp = `${opts.outDir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(path.join(tmp, 'lang'), { recursive: true });
  const summary: Record<string, SplitSummary> = {};
  const t0 = performance.now();
  for (const split of ['train', 'dev', 'test'] as const) {
    const utts = plan.filter((u) => u.speaker.split === split).sort((a, b) => cmp(a.id, b.id));
    const out: DataDirUtterance[] = [];
    for (const [i, u] of utts.entries()) {
      const wave = toWave16k(synth.speak(u.text, u.speaker.voice, u.speaker.rate, u.speaker.pitch));
      for (const f of split === 'train' ? factors : [1]) {
        const p = speedPrefix(f);
        const { matrix, duration } = featurize(
          f === 1 ? wave : quantize(perturbSpeed(wave, f)),
          p + u.id,
          seed,
        );
        out.push({ id: p + u.id, speaker: p + u.speaker.id, text: u.text, feats: matrix, seconds: duration });
      }
      if ((i + 1) % 100 === 0)
        log(`${split}: ${i + 1}/${utts.length} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    summary[split] = await writeDataDir(path.join(tmp, split), out);
    log(`${split}: ${JSON.stringify(summary[split])}`);
  }
  const words = new Set(plan.flatMap((u) => u.text.split(' ')));
  for (const w of grammarWords()) words.add(w.toUpperCase());
  await writeFile(path.join(tmp, 'lang', 'lexicon.txt'), lines(lexiconLines(words)));
  await writeFile(path.join(tmp, 'lang', 'units.txt'), lines(unitLines()));
  await writeFile(
    path.join(tmp, 'speakers.txt'),
    lines(speakers().map((s) => `${s.id} ${s.split} ${s.voice} rate=${s.rate} pitch=${s.pitch}`)),
  );
  await writeFile(
    path.join(tmp, 'fbank.conf'),
    lines([
      `--sample-frequency=${FBANK_OPTIONS.sampleFrequency}`,
      `--num-mel-bins=${FBANK_OPTIONS.numMelBins}`,
      `--dither=${FBANK_OPTIONS.dither}`,
    ]),
  );
  // swap the finished folder in: the old corpus stays intact until the new one is complete
  // keep the flite evaluation set (tools/make-corpus flite-test) when it speaks the same test sentences
  const flite = path.join(opts.outDir, 'test_flite');
  const sameText = (a: string, b: string) =>
    existsSync(a) && readFileSync(a, 'utf8') === readFileSync(b, 'utf8');
  if (existsSync(flite)) {
    if (sameText(path.join(opts.outDir, 'test', 'text'), path.join(tmp, 'test', 'text')))
      await rename(flite, path.join(tmp, 'test_flite'));
    else
      log('test sentences changed: test_flite/ dropped; rerun `pnpm --filter @stnas/make-corpus flite-test`');
  }
  const old = `${opts.outDir}.old-${process.pid}`;
  if (existsSync(opts.outDir)) await rename(opts.outDir, old);
  await rename(tmp, opts.outDir);
  await rm(old, { recursive: true, force: true });
  return summary;
}

/** eSpeak's 22.05 kHz audio at 16 kHz, rounded to 16 bits as a 16 kHz wav file would hold it. */
function toWave16k(audio: Int16Array): Float32Array {
  return quantize(resample(audio, ESPEAK_RATE, FBANK_OPTIONS.sampleFrequency));
}

function quantize(wave: Float32Array): Float32Array {
  for (let i = 0; i < wave.length; i++) wave[i] = Math.max(-32768, Math.min(32767, Math.round(wave[i]!)));
  return wave;
}

function featurize(wave: Float32Array, id: string, seed: number): { matrix: Matrix; duration: number } {
  const matrix = fbank(wave, { ...FBANK_OPTIONS, seed: (hashString(id) ^ seed) >>> 0 });
  if (matrix.rows === 0) throw new Error(`generate: ${id}: no frames`);
  return { matrix, duration: wave.length / FBANK_OPTIONS.sampleFrequency };
}

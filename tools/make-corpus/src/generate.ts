// Generates the bundled corpus: eSpeak NG speech → 16 kHz → 40-dim fbank → Kaldi data dirs.
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadScp, type Matrix, writeArk } from '@stnas/data-wsj';
import { computeCmvnStats, fbank, resample } from '@stnas/features';
import { grammarWords } from './grammar';
import { lexiconLines, unitLines } from './lexicon';
import { DEFAULT_SEED, type PlannedUtterance, planCorpus, UTTS_PER_SPEAKER } from './plan';
import { hashString } from './random';
import { speakers } from './speakers';
import { ESPEAK_RATE, loadSynthesizer } from './synthesize';

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
  /** Progress callback. */
  log?: (line: string) => void;
}

/** Sizes of one generated split. */
export interface SplitSummary {
  utterances: number;
  speakers: number;
  frames: number;
  seconds: number;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const lines = (xs: string[]) => (xs.length ? `${xs.join('\n')}\n` : '');

/** Synthesises, featurises and writes the whole corpus; returns per-split sizes. */
export async function generateCorpus(opts: GenerateOptions): Promise<Record<string, SplitSummary>> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const log = opts.log ?? (() => {});
  const plan = planCorpus(seed, opts.perSpeaker ?? UTTS_PER_SPEAKER);
  const synth = await loadSynthesizer();
  const tmp = `${opts.outDir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(path.join(tmp, 'lang'), { recursive: true });
  const summary: Record<string, SplitSummary> = {};
  const t0 = performance.now();
  for (const split of ['train', 'dev', 'test'] as const) {
    const utts = plan.filter((u) => u.speaker.split === split).sort((a, b) => cmp(a.id, b.id));
    const feats = new Map<string, Matrix>();
    const seconds = new Map<string, number>();
    for (const [i, u] of utts.entries()) {
      const { matrix, duration } = featurize(
        synth.speak(u.text, u.speaker.voice, u.speaker.rate, u.speaker.pitch),
        u,
        seed,
      );
      feats.set(u.id, matrix);
      seconds.set(u.id, duration);
      if ((i + 1) % 100 === 0)
        log(`${split}: ${i + 1}/${utts.length} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    summary[split] = await writeSplit(path.join(tmp, split), utts, feats, seconds);
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
  const old = `${opts.outDir}.old-${process.pid}`;
  if (existsSync(opts.outDir)) await rename(opts.outDir, old);
  await rename(tmp, opts.outDir);
  await rm(old, { recursive: true, force: true });
  return summary;
}

function featurize(
  audio: Int16Array,
  u: PlannedUtterance,
  seed: number,
): { matrix: Matrix; duration: number } {
  const wave = resample(audio, ESPEAK_RATE, FBANK_OPTIONS.sampleFrequency);
  // quantise to 16 bits, as a 16 kHz wav file would hold it
  for (let i = 0; i < wave.length; i++) wave[i] = Math.max(-32768, Math.min(32767, Math.round(wave[i]!)));
  const matrix = fbank(wave, { ...FBANK_OPTIONS, seed: (hashString(u.id) ^ seed) >>> 0 });
  if (matrix.rows === 0) throw new Error(`generate: ${u.id}: no frames for ${JSON.stringify(u.text)}`);
  return { matrix, duration: wave.length / FBANK_OPTIONS.sampleFrequency };
}

async function writeSplit(
  dir: string,
  utts: PlannedUtterance[],
  feats: Map<string, Matrix>,
  seconds: Map<string, number>,
): Promise<SplitSummary> {
  await mkdir(dir, { recursive: true });
  await writeArk(
    path.join(dir, 'feats.ark'),
    utts.map((u) => ({ key: u.id, value: feats.get(u.id)! })),
    { compress: 'CM' },
  );
  const spk2utt = new Map<string, string[]>();
  for (const u of utts) spk2utt.set(u.speaker.id, [...(spk2utt.get(u.speaker.id) ?? []), u.id]);
  const spks = [...spk2utt.keys()].sort(cmp);
  // CMVN stats from the stored (compressed) features, as compute-cmvn-stats reads feats.scp
  const scp = await loadScp(path.join(dir, 'feats.scp'));
  const stored = new Map<string, Matrix>();
  try {
    for (const u of utts) stored.set(u.id, await scp.getMatrix(u.id));
  } finally {
    await scp.close();
  }
  await writeArk(
    path.join(dir, 'cmvn.ark'),
    spks.map((s) => ({ key: s, value: computeCmvnStats(spk2utt.get(s)!.map((id) => stored.get(id)!)) })),
  );
  await writeFile(path.join(dir, 'text'), lines(utts.map((u) => `${u.id} ${u.text}`)));
  await writeFile(path.join(dir, 'utt2spk'), lines(utts.map((u) => `${u.id} ${u.speaker.id}`)));
  await writeFile(path.join(dir, 'spk2utt'), lines(spks.map((s) => `${s} ${spk2utt.get(s)!.join(' ')}`)));
  await writeFile(
    path.join(dir, 'utt2num_frames'),
    lines(utts.map((u) => `${u.id} ${feats.get(u.id)!.rows}`)),
  );
  await writeFile(
    path.join(dir, 'utt2dur'),
    lines(utts.map((u) => `${u.id} ${seconds.get(u.id)!.toFixed(4)}`)),
  );
  return {
    utterances: utts.length,
    speakers: spks.length,
    frames: utts.reduce((n, u) => n + feats.get(u.id)!.rows, 0),
    seconds: utts.reduce((n, u) => n + seconds.get(u.id)!, 0),
  };
}

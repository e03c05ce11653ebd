// `pnpm --filter @stnas/make-corpus flite-test [--out DIR] [--voices awb,rms,...]`: an evaluation-only
// data dir of the corpus's TEST sentences spoken by Debian's flite (CMU Flite 2.2), a synthesiser the
// training data never used, featurised exactly as the corpus (16 kHz, 40-dim fbank, CM, CMVN).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readTable } from '@stnas/data-wsj';
import { fbank, readWav, resample } from '@stnas/features';
import { FBANK_OPTIONS } from './generate';
import { DEFAULT_SEED } from './plan';
import { hashString } from './random';
import { type SplitSummary, writeDataDir } from './write-data-dir';

const run = promisify(execFile);

/** Voices tried, in this order (Debian's flite: awb Scottish male, kal16 and rms US male, slt US female). */
export const FLITE_VOICES = ['awb', 'kal16', 'rms', 'slt'] as const;

/** Options of {@link makeFliteTest}. */
export interface FliteTestOptions {
  /** The corpus data folder whose `test/text` is spoken; `test_flite/` is written inside unless `out`. */
  corpus: string;
  /** Output data dir; `<corpus>/test_flite`. */
  out?: string;
  /** Voices to use (must exist in `flite -lv`); those of {@link FLITE_VOICES} that exist. */
  voices?: string[];
  /** The flite binary; /usr/bin/flite. */
  flite?: string;
  /** Dither seed (mixed with each utterance id). */
  seed?: number;
  log?: (line: string) => void;
}

/** Voices flite reports with `-lv`. */
export async function fliteVoices(flite = '/usr/bin/flite'): Promise<string[]> {
  const { stdout } = await run(flite, ['-lv']);
  const m = /Voices available:(.*)/.exec(stdout);
  if (!m)
    throw new Error(
      `${flite} -lv: expected "Voices available: ...", got ${JSON.stringify(stdout.slice(0, 200))}`,
    );
  return m[1]!.trim().split(/\s+/);
}

/**
 * Speaks the corpus's test sentences with flite voices (sentence i by voice i mod V, so each sentence
 * once), resamples to 16 kHz and writes a Kaldi data dir of `flite_<voice>-<test utt id>` utterances.
 */
export async function makeFliteTest(opts: FliteTestOptions): Promise<SplitSummary & { voices: string[] }> {
  const flite = opts.flite ?? '/usr/bin/flite';
  const log = opts.log ?? (() => {});
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!existsSync(flite)) throw new Error(`flite-test: ${flite} not found (Debian: apt-get install flite)`);
  const available = await fliteVoices(flite);
  const voices = opts.voices ?? FLITE_VOICES.filter((v) => available.includes(v));
  for (const v of voices)
    if (!available.includes(v))
      throw new Error(`flite-test: voice ${v} is not in ${flite} -lv (${available.join(' ')})`);
  if (voices.length === 0) throw new Error(`flite-test: none of ${FLITE_VOICES.join(', ')} is available`);
  const sentences = await readTable(path.join(opts.corpus, 'test', 'text'));
  const out = opts.out ?? path.join(opts.corpus, 'test_flite');
  const work = await mkdtemp(path.join(os.tmpdir(), 'flite-'));
  const tmpOut = `${out}.tmp-${process.pid}`;
  try {
    const utts = [];
    for (const [i, s] of sentences.entries()) {
      const voice = voices[i % voices.length]!;
      const wavPath = path.join(work, `${i}.wav`);
      // lower case: flite spells out upper-case words it does not know as letters
      await run(flite, ['-voice', voice, '-t', s.value.toLowerCase(), '-o', wavPath]);
      const wav = readWav(await readFile(wavPath));
      const id = `flite_${voice}-${s.key}`;
      const wave = resample(wav.samples, wav.sampleRate, FBANK_OPTIONS.sampleFrequency);
      for (let k = 0; k < wave.length; k++) wave[k] = Math.max(-32768, Math.min(32767, Math.round(wave[k]!)));
      const feats = fbank(wave, { ...FBANK_OPTIONS, seed: (hashString(id) ^ seed) >>> 0 });
      if (feats.rows === 0) throw new Error(`flite-test: ${id}: no frames for ${JSON.stringify(s.value)}`);
      utts.push({
        id,
        speaker: `flite_${voice}`,
        text: s.value,
        feats,
        seconds: wave.length / FBANK_OPTIONS.sampleFrequency,
      });
      if ((i + 1) % 40 === 0) log(`flite-test: ${i + 1}/${sentences.length}`);
    }
    await rm(tmpOut, { recursive: true, force: true });
    const summary = await writeDataDir(tmpOut, utts);
    const old = `${out}.old-${process.pid}`;
    if (existsSync(out)) await rename(out, old);
    await rename(tmpOut, out);
    await rm(old, { recursive: true, force: true });
    return { ...summary, voices };
  } catch (e) {
    await rm(tmpOut, { recursive: true, force: true });
    throw e;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Parses `--out DIR`, `--corpus DIR`, `--voices a,b` and runs {@link makeFliteTest}; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let corpus = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../packages/corpus/data');
  let out: string | undefined;
  let voices: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`flite-test: ${a} needs a value`);
      return v;
    };
    if (a === '--out') out = path.resolve(next());
    else if (a === '--corpus') corpus = path.resolve(next());
    else if (a === '--voices') voices = next().split(',').filter(Boolean);
    else {
      console.error(
        `flite-test: unknown argument ${JSON.stringify(a)} (expected --corpus DIR, --out DIR, --voices a,b)`,
      );
      return 2;
    }
  }
  const summary = await makeFliteTest({ corpus, out, voices, log: (l) => console.log(l) });
  console.log(JSON.stringify(summary, null, 2));
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}

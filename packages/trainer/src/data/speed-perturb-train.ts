// Speed perturbation of a training data dir (Ko et al., "Audio augmentation for speech
// recognition", Interspeech 2015; Kaldi's perturb_data_dir_speed_3way.sh): run once into the run
// directory, reused on resume.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError, UsageError } from '../errors';
import { writeFileAtomic } from '../training/checkpoint';

/** Parses `0.9,1.0,1.1` into speed factors, each in [0.5, 2], no repeats; names the option on error. */
export function parseSpeedFactors(text: string, option = '--speed-perturb'): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const factors = parts.map(Number);
  if (parts.some((s) => s === '' || !Number.isFinite(Number(s))) || factors.some((f) => f < 0.5 || f > 2)) {
    throw new UsageError(
      `${option} must be a comma-separated list of speed factors in [0.5, 2], got "${text}"`,
    );
  }
  if (new Set(factors).size !== factors.length)
    throw new UsageError(`${option} lists a factor twice: "${text}"`);
  return factors;
}

/** The one-line error for a data dir without audio. */
export function noAudioMessage(data: string): string {
  return `--speed-perturb needs audio, but ${path.join(data, 'wav.scp')} does not exist (the bundled corpus ships features only): generate a perturbed corpus with the generator's --speed-perturb (pnpm --filter @stnas/make-corpus generate --speed-perturb 0.9,1.0,1.1 --out DIR) or use a data dir with wav.scp`;
}

/**
 * Writes speed-perturbed copies of `data` (which needs `wav.scp`) to `out` with `sp<F>-` ids, fbank
 * features and per-speaker CMVN stats; the output dir appears only when complete.
 */
export async function prepareSpeedPerturbed(o: {
  data: string;
  out: string;
  factors: number[];
  seed?: number;
  log?: (line: string) => void;
}): Promise<{ utterances: number; speakers: number; dir: string }> {
  if (!existsSync(path.join(o.data, 'wav.scp'))) throw new InputError(noAudioMessage(o.data));
  const { speedPerturbDataDir } = await import('@stnas/features');
  try {
    const r = await speedPerturbDataDir({
      data: o.data,
      out: o.out,
      factors: o.factors,
      seed: o.seed ?? 0,
      log: o.log,
    });
    return { utterances: r.utterances, speakers: r.speakers, dir: o.out };
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError((err as Error).message);
  }
}

/**
 * The data dir a stage trains on: `i.data`, or with `speedPerturb` its perturbed copy in
 * `<out>/data/<name>_sp` (made on the first run; reused while `<out>/data/<name>_sp.json` records the
 * same source and factors).
 */
export async function trainingDataDir(i: {
  data: string;
  out: string;
  seed: number;
  speedPerturb?: number[];
  log: (line: string) => void;
}): Promise<string> {
  if (!i.speedPerturb) return i.data;
  const src = path.resolve(i.data);
  if (!existsSync(path.join(src, 'wav.scp'))) throw new InputError(noAudioMessage(i.data));
  mkdirSync(path.join(i.out, 'data'), { recursive: true });
  const dir = path.join(i.out, 'data', `${path.basename(src)}_sp`);
  const marker = `${dir}.json`;
  const want = JSON.stringify({ data: src, factors: i.speedPerturb, seed: i.seed });
  if (
    existsSync(marker) &&
    existsSync(path.join(dir, 'feats.scp')) &&
    JSON.stringify(JSON.parse(readFileSync(marker, 'utf8'))) === want
  ) {
    return dir;
  }
  i.log(`speed perturbation ${i.speedPerturb.join(',')} of ${src} into ${dir}`);
  await prepareSpeedPerturbed({ data: src, out: dir, factors: i.speedPerturb, seed: i.seed, log: i.log });
  writeFileAtomic(marker, `${want}\n`);
  return dir;
}

// One shard of `prepareDataDir`: read the audio of a run of utterances, compute fbank and write the
// shard's ark. Runs in a worker thread or in-process. CMVN statistics are accumulated by the caller
// from the written arks (see ShardCmvn), so a shard need not hold whole speakers.
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeArk } from '@stnas/data-wsj';
import { type FbankOptions, fbank } from './fbank';
import { readAudio } from './read-audio';
import { runPipe } from './run-pipe';

/** One utterance of a shard: where its audio is and how to name it in errors. */
export interface ShardItem {
  utt: string;
  spk: string;
  /** `file` (absolute path) or `pipe` (shell command). */
  kind: 'file' | 'pipe';
  source: string;
  /** `wav.scp:LINE (utterance U)`, the prefix of every error about this utterance. */
  where: string;
}

/** A unit of work: utterances in output order, all options needed to process them. */
export interface ShardJob {
  index: number;
  items: ShardItem[];
  /** Where the shard's `NNNNN.ark` and `NNNNN.json` go. */
  dir: string;
  fbank: FbankOptions;
  compress: boolean;
  seed: number;
}

/** What a finished shard recorded (also its JSON file). */
export interface ShardResult {
  index: number;
  /** Per utterance: [utt, byte offset in the shard ark, frames, samples]. */
  utts: Array<[string, number, number, number]>;
  arkBytes: number;
}

/** The shard's file names inside `dir`. */
export function shardFiles(dir: string, index: number): { ark: string; json: string } {
  const base = path.join(dir, String(index).padStart(5, '0'));
  return { ark: `${base}.ark`, json: `${base}.json` };
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Processes one shard, calling `onUtterance` with each utterance's frame count once its features are computed. */
export async function processShard(
  job: ShardJob,
  onUtterance: (frames: number) => void = () => {},
): Promise<ShardResult> {
  const rate = job.fbank.sampleFrequency ?? 16000;
  const info = new Map<string, [number, number]>();
  async function* features() {
    for (const it of job.items) {
      let bytes: Uint8Array;
      try {
        bytes = it.kind === 'pipe' ? await runPipe(it.source, it.where) : await readFile(it.source);
      } catch (e) {
        const msg = (e as Error).message;
        throw new Error(msg.startsWith(it.where) ? msg : `${it.where}: cannot read ${it.source}: ${msg}`);
      }
      let samples: Float32Array;
      try {
        const w = await readAudio(bytes);
        if (w.sampleRate !== rate)
          throw new Error(
            `the audio is ${w.sampleRate} Hz but the fbank config says --sample-frequency=${rate}`,
          );
        samples = w.samples;
      } catch (e) {
        const msg = (e as Error).message.replace('<buffer>', it.source);
        throw new Error(`${it.where}: ${msg.includes(it.source) ? msg : `${it.source}: ${msg}`}`);
      }
      const m = fbank(samples, { ...job.fbank, seed: (fnv1a(it.utt) ^ job.seed) >>> 0 });
      if (m.rows === 0)
        throw new Error(`${it.where}: ${it.source}: ${samples.length} samples are too short for one frame`);
      info.set(it.utt, [m.rows, samples.length]);
      onUtterance(m.rows);
      yield { key: it.utt, value: m };
    }
  }
  const files = shardFiles(job.dir, job.index);
  const { offsets } = await writeArk(files.ark, features(), {
    compress: job.compress ? 'auto' : undefined,
    scp: false,
  });
  const { size } = await stat(files.ark);
  const result: ShardResult = {
    index: job.index,
    utts: job.items.map((it) => [it.utt, offsets.get(it.utt)!, ...info.get(it.utt)!]),
    arkBytes: size,
  };
  // The JSON marks the shard done, so it is written after the ark, atomically.
  await writeFile(`${files.json}.tmp`, JSON.stringify(result));
  await rename(`${files.json}.tmp`, files.json);
  return result;
}

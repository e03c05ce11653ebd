// prepareDataDir speed in x real time: a data dir of FLAC (and the same as WAV) files made in
// os.tmpdir() from Kaldi's fixture recordings, prepared with CM compression and per-speaker CMVN on
// 0, 1 and 2 worker threads, the runs alternating so that a change of load hits every row alike.
// prepareDataDir is built to JavaScript first (with the workspace packages bundled in, into
// node_modules/.cache so that its npm dependencies resolve), so its worker threads start from .js
// as they do under the CLI, not through tsx. Needs Debian's `flac` to make the FLAC files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'tsup';
import { loadAverage, markdownTable, median, record } from '../../../bench/report.ts';
import { fixturePath } from '../../../test/fixtures.ts';
import { readWav } from '../src/index.ts';

const SPEAKERS = 4;
const UTTS_PER_SPEAKER = 20;
const SECONDS_PER_UTT = 8; // WSJ's utterances average about 8 s
const reps = Number(process.env.BENCH_REPS ?? 3);

const wavDir = fixturePath('kaldi', 'kaldi', 'datadir', 'wav');
const sources = readdirSync(wavDir)
  .filter((f) => f.endsWith('.wav'))
  .sort()
  .map((f) => readWav(path.join(wavDir, f)).samples);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'prepare-bench-'));
const cleanup = [tmp];
try {
  const src = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');
  const cache = path.join(src, '..', 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dist = mkdtempSync(path.join(cache, 'prepare-bench-'));
  cleanup.push(dist);
  await build({
    config: false,
    entry: { index: path.join(src, 'index.ts'), 'prepare-worker': path.join(src, 'prepare-worker.ts') },
    outDir: dist,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    noExternal: [/^@stnas\//], // the workspace packages from source; npm packages stay imports
    external: [/^(?!@stnas\/)[^./]/],
    splitting: false,
    esbuildOptions: (o) => {
      o.conditions = ['@stnas/source'];
    },
    silent: true,
  });
  const { prepareDataDir } = (await import(
    pathToFileURL(path.join(dist, 'index.js')).href
  )) as typeof import('../src/index.ts');
  const audio = path.join(tmp, 'audio');
  mkdirSync(audio);
  const lines: Record<'wav' | 'flac', string[]> = { wav: [], flac: [] };
  const utt2spk: string[] = [];
  let k = 0;
  for (let s = 0; s < SPEAKERS; s++) {
    for (let u = 0; u < UTTS_PER_SPEAKER; u++, k++) {
      // each utterance strings fixture recordings together from a different starting point
      const y = new Float32Array(16000 * SECONDS_PER_UTT);
      for (let i = 0, j = k; i < y.length; j++) {
        const src = sources[j % sources.length]!;
        y.set(src.subarray(0, Math.min(src.length, y.length - i)), i);
        i += src.length;
      }
      const id = `spk${s}-utt${String(u).padStart(3, '0')}`;
      // raw 16-bit PCM -> FLAC -> WAV with Debian's flac, so both files hold the same samples
      const raw = path.join(audio, `${id}.raw`);
      writeFileSync(raw, Buffer.from(Int16Array.from(y).buffer));
      const flac = path.join(audio, `${id}.flac`);
      const wav = path.join(audio, `${id}.wav`);
      const format = ['--endian=little', '--sign=signed', '--channels=1', '--bps=16', '--sample-rate=16000'];
      execFileSync('flac', ['-s', '-f', '--force-raw-format', ...format, '-o', flac, raw]);
      execFileSync('flac', ['-s', '-f', '-d', '-o', wav, flac]);
      rmSync(raw);
      lines.wav.push(`${id} ${wav}`);
      lines.flac.push(`${id} ${path.join(audio, `${id}.flac`)}`);
      utt2spk.push(`${id} spk${s}`);
    }
  }
  const hours = (SPEAKERS * UTTS_PER_SPEAKER * SECONDS_PER_UTT) / 3600;
  for (const kind of ['wav', 'flac'] as const) {
    const dir = path.join(tmp, kind);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'wav.scp'), `${lines[kind].join('\n')}\n`);
    writeFileSync(path.join(dir, 'utt2spk'), `${utt2spk.join('\n')}\n`);
  }
  const load0 = loadAverage();
  const kinds = ['wav', 'flac'] as const;
  const workerCounts = [0, 1, 2];
  const times = new Map<string, number[]>();
  const cpus = new Map<string, number[]>();
  for (let r = 0; r < reps; r++) {
    for (const kind of kinds) {
      for (const workers of workerCounts) {
        const out = path.join(tmp, `out-${kind}-${workers}-${r}`);
        const c0 = process.cpuUsage(); // the whole process: main thread and worker threads
        const t0 = performance.now();
        await prepareDataDir({
          data: path.join(tmp, kind),
          out,
          fbankConfig: { numMelBins: 40, dither: 1 },
          workers,
        });
        const ms = performance.now() - t0;
        const c = process.cpuUsage(c0);
        const k = `${kind} ${workers}`;
        times.set(k, [...(times.get(k) ?? []), ms]);
        cpus.set(k, [...(cpus.get(k) ?? []), (c.user + c.system) / 1000]);
        rmSync(out, { recursive: true, force: true });
        console.log(`${k}: ${(ms / 1000).toFixed(2)} s wall, load ${loadAverage()}`);
      }
    }
  }
  const rows: (string | number)[][] = [];
  for (const kind of kinds) {
    for (const workers of workerCounts) {
      const ms = median(times.get(`${kind} ${workers}`)!);
      const cpu = median(cpus.get(`${kind} ${workers}`)!);
      const x = (t: number) => `${Math.round((hours * 3600e3) / t)}x`;
      rows.push([
        kind.toUpperCase(),
        workers,
        (ms / 1000).toFixed(2),
        x(ms),
        (cpu / 1000).toFixed(2),
        x(cpu),
      ]);
    }
  }
  const table = markdownTable(
    [
      `${(hours * 60).toFixed(0)} min of 16 kHz audio (${SPEAKERS * UTTS_PER_SPEAKER} utterances)`,
      'worker threads',
      'median wall s',
      'x real time (wall)',
      'median CPU s',
      'x real time per CPU second',
    ],
    rows,
  );
  console.log(table);
  record(
    '@stnas/features: prepareDataDir speed',
    table,
    `Medians of ${reps} runs, alternating WAV and FLAC and the worker counts: read and decode the audio, ` +
      '40-bin fbank (dither 1, seeded), CM compression, per-speaker CMVN stats read back from the arks, ' +
      'all tables; prepareDataDir built to JavaScript, so worker threads start from .js as under the CLI ' +
      `(0 worker threads computes on the calling thread). Load average before: ${load0}; after: ${loadAverage()}. ` +
      'CPU time is the whole process (all threads), so it stays meaningful when other jobs share the ' +
      'cores; on 2 idle cores the wall-clock speed of 2 workers approaches twice the per-CPU-second figure. ' +
      'Goal: at least 200x real time on 2 cores.',
  );
} finally {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
}

// Real-time factor of fbank / mfcc / resample on one core, with a torch rfft + mel-matmul fbank on
// one thread for scale (torch is optional; torchaudio is not needed).
import { spawnSync } from 'node:child_process';
import { markdownTable, median, record, timeIt } from '../../../bench/report.ts';
import { fixturePath } from '../../../test/fixtures.ts';
import { fbank, mfcc, readWav, resample } from '../src/index.ts';

const wavPath = fixturePath('kaldi', 'kaldi', 'features', 'test.wav');
const SECONDS = 60;
const base = readWav(wavPath).samples;
const audio = new Float32Array(16000 * SECONDS);
for (let i = 0; i < audio.length; i++) audio[i] = base[i % base.length]!;
const audio22k = resample(audio, 16000, 22050);

const reps = 7;
const candidates: Record<string, () => unknown> = {
  fbank: () => fbank(audio, { numMelBins: 40 }),
  mfcc: () => mfcc(audio),
  resample: () => resample(audio22k, 22050, 16000),
};
const runs: Record<string, number[]> = { fbank: [], mfcc: [], resample: [] };
const cpu: Record<string, number[]> = { fbank: [], mfcc: [], resample: [] };
await timeIt(candidates.fbank!, 1, 1);
for (let r = 0; r < reps; r++) {
  // alternate the candidates within one run so that load changes hit all of them alike
  for (const [name, fn] of Object.entries(candidates)) {
    const c0 = process.cpuUsage();
    runs[name]!.push(...(await timeIt(fn, 1, 0)));
    const c = process.cpuUsage(c0);
    cpu[name]!.push((c.user + c.system) / 1000);
  }
}

const torchScript = `
import sys, time, math
try:
    import torch
except ImportError:
    print("absent"); sys.exit(0)
torch.set_num_threads(1)
x = torch.randn(16000 * ${SECONDS}) * 1000
n_fft, win, hop = 512, 400, 160
mel = torch.rand(257, 40)
w = torch.hann_window(win, periodic=False) ** 0.85
def fb():
    fr = x.unfold(0, win, hop)
    fr = fr - fr.mean(1, keepdim=True)
    fr = torch.cat([fr[:, :1] * 0.03, fr[:, 1:] - 0.97 * fr[:, :-1]], 1) * w
    p = torch.fft.rfft(fr, n=n_fft).abs() ** 2
    return torch.log(torch.clamp(p @ mel, min=1.19e-7))
fb()
ts = []
for _ in range(${reps}):
    t = time.perf_counter(); fb(); ts.append((time.perf_counter() - t) * 1000)
ts.sort(); print(ts[len(ts) // 2])
`;
let torchMs: number | null = null;
const py = spawnSync('/usr/bin/python3', ['-c', torchScript], { encoding: 'utf8' });
if (py.status === 0 && py.stdout.trim() !== 'absent') torchMs = Number(py.stdout.trim());

const rtf = (ms: number) => `${Math.round((SECONDS * 1000) / ms)}x`;
const row = (label: string, name: string) => {
  const wall = median(runs[name]!);
  const c = median(cpu[name]!);
  return [label, wall.toFixed(1), rtf(wall), c.toFixed(1), rtf(c)];
};
const rows: (string | number)[][] = [
  row('fbank 40 (Kaldi float32 replica)', 'fbank'),
  row('mfcc 13 (23 bins)', 'mfcc'),
  row('resample 22050 → 16000 Hz', 'resample'),
  torchMs === null
    ? ['torch rfft + mel matmul fbank, 1 thread', 'torch not installed', '-', '-', '-']
    : ['torch rfft + mel matmul fbank, 1 thread', torchMs.toFixed(1), rtf(torchMs), '-', '-'],
];
record(
  '@stnas/features: fbank real-time factor',
  markdownTable(
    [
      `${SECONDS} s of 16 kHz audio`,
      'median wall ms',
      'x real time (wall)',
      'median CPU ms',
      'x real time (CPU)',
    ],
    rows,
  ),
  `Medians of ${reps} alternating runs on one core; CPU time (process.cpuUsage) is less sensitive to a busy machine than wall time. Goal: fbank at 500x real time or better. ` +
    'The torch row is a comparable (not Kaldi-exact) fbank for scale.',
);

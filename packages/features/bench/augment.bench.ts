// Speed perturbation (perturbSpeed 0.9 / 1.1) and SpecAugment cost, against torchaudio's
// sinc_interp_kaiser resampler re-implemented in torch (conv1d, 1 thread) on the same signal, which
// also checks our output against it (torch is optional; torchaudio is not needed).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { specAugment } from '@stnas/data-wsj';
import { markdownTable, median, record, timeIt } from '../../../bench/report.ts';
import { perturbSpeed } from '../src/index.ts';

const SECONDS = 60;
const N = 16000 * SECONDS;
// a deterministic speech-band signal: three tones and a chirp
const audio = new Float32Array(N);
for (let i = 0; i < N; i++) {
  const t = i / 16000;
  audio[i] =
    3000 * Math.sin(2 * Math.PI * 220 * t) +
    2000 * Math.sin(2 * Math.PI * 1330 * t) +
    1000 * Math.sin(2 * Math.PI * 5100 * t) +
    500 * Math.sin(2 * Math.PI * (100 + 60 * t) * t);
}
const B = 32;
const T = 800;
const D = 120;
const batch = {
  features: Float32Array.from({ length: B * T * D }, (_, i) => Math.sin(i)),
  lengths: Int32Array.from({ length: B }, (_, b) => T - 10 * b),
  batchSize: B,
  maxFrames: T,
  dim: D,
};

const reps = 7;
let step = 0;
const candidates: Record<string, () => unknown> = {
  sp09: () => perturbSpeed(audio, 0.9),
  sp11: () => perturbSpeed(audio, 1.1),
  specaug: () =>
    specAugment(batch, {
      seed: step++,
      freqMasks: 2,
      freqMaskWidth: 10,
      freqGroups: 3,
      timeMasks: 2,
      timeWarp: 5,
    }),
};
const runs: Record<string, number[]> = { sp09: [], sp11: [], specaug: [] };
await timeIt(candidates.sp11!, 1, 1);
for (let r = 0; r < reps; r++)
  for (const [name, fn] of Object.entries(candidates)) runs[name]!.push(...(await timeIt(fn, 1, 0)));

const dir = mkdtempSync(path.join(os.tmpdir(), 'sp-bench-'));
writeFileSync(path.join(dir, 'x.f32'), Buffer.from(audio.buffer));
const torchScript = `
import sys, time, math
try:
    import torch
except ImportError:
    print("absent"); sys.exit(0)
torch.set_num_threads(1)
import numpy as np
x = torch.from_numpy(np.fromfile(sys.argv[1] + "/x.f32", dtype=np.float32))
def kernel(orig, new, lw=24, rolloff=0.945, beta=8.555):
    # torchaudio.functional._get_sinc_resample_kernel, method sinc_interp_kaiser
    base = min(orig, new) * rolloff
    width = math.ceil(lw * orig / base)
    idx = torch.arange(-width, width + orig, dtype=torch.float64)[None, None] / orig
    t = torch.arange(0, -new, -1, dtype=torch.float64)[:, None, None] / new + idx
    t = (t * base).clamp(-lw, lw)
    window = torch.i0(beta * torch.sqrt(1 - (t / lw) ** 2)) / torch.i0(torch.tensor(beta, dtype=torch.float64))
    t = t * math.pi
    k = torch.where(t == 0, torch.tensor(1.0, dtype=torch.float64), t.sin() / t) * window * (base / orig)
    return k.float(), width
def resample(x, orig, new, k, width):
    L = x.shape[-1]
    y = torch.nn.functional.conv1d(torch.nn.functional.pad(x[None, None], (width, width + orig)), k, stride=orig)
    return y.transpose(1, 2).reshape(-1)[: math.ceil(new * L / orig)]
out = []
for orig, new, name in ((9, 10, "09"), (11, 10, "11")):
    k, w = kernel(orig, new)
    y = resample(x, orig, new, k, w)
    y.numpy().astype(np.float32).tofile(sys.argv[1] + "/y" + name + ".f32")
    ts = []
    for _ in range(${reps}):
        t0 = time.perf_counter(); resample(x, orig, new, k, w); ts.append((time.perf_counter() - t0) * 1000)
    ts.sort(); out.append(ts[len(ts) // 2])
print(out[0], out[1])
`;
let torchMs: number[] | null = null;
const diffs: Record<string, string> = { '09': '-', '11': '-' };
const py = spawnSync('/usr/bin/python3', ['-c', torchScript, dir], { encoding: 'utf8' });
if (py.status === 0 && py.stdout.trim() !== 'absent') {
  torchMs = py.stdout.trim().split(' ').map(Number);
  for (const [name, f] of [
    ['09', 0.9],
    ['11', 1.1],
  ] as const) {
    const ours = perturbSpeed(audio, f);
    const buf = readFileSync(path.join(dir, `y${name}.f32`));
    const theirs = new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4);
    let m = 0;
    // away from the edges, where both zero-pad
    for (let i = 100; i < Math.min(ours.length, theirs.length) - 100; i++)
      m = Math.max(m, Math.abs(ours[i]! - theirs[i]!));
    diffs[name] = `${(m / 6500).toExponential(1)} of peak (len ${ours.length} vs ${theirs.length})`;
  }
}
rmSync(dir, { recursive: true, force: true });

const rtf = (ms: number) => `${Math.round((SECONDS * 1000) / ms)}x`;
const rows: (string | number)[][] = [
  [
    'perturbSpeed 0.9 (60 s, 16 kHz)',
    median(runs.sp09!).toFixed(1),
    rtf(median(runs.sp09!)),
    torchMs ? torchMs[0]!.toFixed(1) : 'torch not installed',
    diffs['09']!,
  ],
  [
    'perturbSpeed 1.1 (60 s, 16 kHz)',
    median(runs.sp11!).toFixed(1),
    rtf(median(runs.sp11!)),
    torchMs ? torchMs[1]!.toFixed(1) : 'torch not installed',
    diffs['11']!,
  ],
  [`specAugment [${B}, ${T}, ${D}], warp 5, 2+2 masks`, median(runs.specaug!).toFixed(1), '-', '-', '-'],
];
record(
  '@stnas/features: speed perturbation and SpecAugment',
  markdownTable(
    [
      'operation',
      'median ms',
      'x real time',
      'torch conv1d sinc-Kaiser ms (1 thread)',
      'max abs(ours − torch)',
    ],
    rows,
  ),
  `Medians of ${reps} alternating runs. The torch column re-implements torchaudio's \`sinc_interp_kaiser\` resampler (width 24, rolloff 0.945, beta 8.555, the same filter as ours) with conv1d on one thread; the last column compares the two outputs on the same signal (peak 6500).`,
);

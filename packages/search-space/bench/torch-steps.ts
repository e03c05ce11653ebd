// PyTorch's side of the supernet benchmarks: torch_stnas_step.py (beside this file, Debian
// python3-torch) times the same warmup, weight and architecture steps on the CPU.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./torch_stnas_step.py', import.meta.url));

/**
 * PyTorch's frames/s per step kind (`warmup`, `weight`, `arch`) at `dim` units over `steps` steps
 * on 2 threads, or one line saying why there is none (torch not installed, or how it failed).
 */
export function torchSteps(o: {
  dim: number;
  steps: number;
  env?: NodeJS.ProcessEnv;
}): Record<string, number> | string {
  if (!existsSync('/usr/bin/python3') || !existsSync(script)) return 'torch not installed';
  try {
    const out = execFileSync(
      '/usr/bin/python3',
      [script, '--dim', String(o.dim), '--steps', String(o.steps), '--threads', '2'],
      { encoding: 'utf8', env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const res: Record<string, number> = {};
    for (const line of out.trim().split('\n')) {
      const j = JSON.parse(line) as { step: string; frames_per_s: number };
      res[j.step] = j.frames_per_s;
    }
    return res;
  } catch (e) {
    return /No module named 'torch'/.test(String((e as { stderr?: string }).stderr))
      ? 'torch not installed'
      : `torch failed: ${String(e).split('\n')[0]}`;
  }
}

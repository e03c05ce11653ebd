import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration, progressText } from './progress';

describe('progress', () => {
  it('formats frames/s, loss and ETA from elapsed time', () => {
    // 4 of 10 steps, 8000 frames in 2 s: 4000 frames/s, 0.5 s a step, 6 left: ETA 3 s.
    expect(progressText('warmup', 10, { done: 4, frames: 8000, loss: 1.23456 }, 2)).toBe(
      'warmup 4/10 4000 frames/s loss 1.235 ETA 0:03',
    );
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Number.NaN)).toBe('--:--');
  });

  it('prints plain lines every N steps when not a terminal', () => {
    const out: string[] = [];
    let t = 0;
    const p = createProgress(
      'search',
      5,
      { write: (s) => out.push(s), isTTY: false },
      { every: 2, now: () => t },
    );
    for (let i = 1; i <= 5; i++) {
      t += 1000;
      p.update({ done: i, frames: i * 100, loss: 2 });
    }
    p.finish('done');
    expect(out).toEqual([
      'search 2/5 100 frames/s loss 2.000 ETA 0:03\n',
      'search 4/5 100 frames/s loss 2.000 ETA 0:01\n',
      'search 5/5 100 frames/s loss 2.000 ETA 0:00\n',
      'done\n',
    ]);
    expect(out.join('')).not.toContain('\r');
    expect(out.join('')).not.toContain('\u001b');
  });

  it('redraws one line with a bar on a terminal, throttled to 10 per second', () => {
    const out: string[] = [];
    let t = 0;
    const p = createProgress(
      'retrain',
      4,
      { write: (s) => out.push(s), isTTY: true, columns: 80 },
      { now: () => t },
    );
    t = 500;
    p.update({ done: 2, frames: 50 });
    t = 550;
    p.update({ done: 3, frames: 75 }); // within 100 ms of the last draw: skipped
    t = 1000;
    p.update({ done: 4, frames: 100 });
    p.finish();
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/^\r\[#+\.+\] retrain 2\/4 100 frames\/s ETA 0:01/);
    expect(out[0]!.endsWith('\u001b[K')).toBe(true);
    expect(out[1]).toMatch(/^\r\[#+\] retrain 4\/4 100 frames\/s ETA 0:00/);
    expect(out[2]!.endsWith('\n')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { main } from './cli';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('stnas CLI', () => {
  it('prints help and exits 0 with --help', async () => {
    const c = capture();
    expect(await main(['--help'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/doctor/);
  });

  it('doctor reports the backend it chose and why', async () => {
    const c = capture();
    expect(await main(['--backend', 'cpu', 'doctor'], c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toMatch(/backend\s+cpu via @tensorflow\/tfjs-backend-cpu/);
    expect(text).toMatch(/why\s+requested with --backend cpu/);
    expect(text).toMatch(new RegExp(`node\\s+${process.version.replace(/\./g, '\\.')}`));
  });

  it('doctor --json is one parseable line', async () => {
    const c = capture();
    expect(await main(['--backend', 'cpu', 'doctor', '--json'], c.io)).toBe(0);
    const report = JSON.parse(c.out[0]!);
    expect(report.selection.backend).toBe('cpu');
  });

  it('a missing tensorflow backend exits non-zero with one line naming the install', async () => {
    const c = capture();
    expect(await main(['--backend', 'tensorflow', 'doctor'], c.io)).not.toBe(0);
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(/npm install @tensorflow\/tfjs-node/);
  });

  it('bad arguments give exit 2 and one line', async () => {
    for (const argv of [['--backend', 'gpu', 'doctor'], ['frobnicate'], ['--nope']]) {
      const c = capture();
      expect(await main(argv, c.io)).toBe(2);
      expect(c.err).toHaveLength(1);
    }
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../../test/fixtures';
import { grammarWords } from './grammar';
import { CMU_PHONES, lexiconLines, pronunciations, unitLines } from './lexicon';

const fixtureDict = fixturePath('kaldi', 'kaldi', 'dict', 'lexicon.txt');

describe('lexicon', () => {
  it('matches the Kaldi-prepared fixture lexicon with stress removed', () => {
    const want = new Map<string, Set<string>>();
    for (const line of readFileSync(fixtureDict, 'utf8').trim().split('\n')) {
      const [w, ...ph] = line.split(/\s+/);
      if (w!.startsWith('<') || w === '!SIL') continue;
      const key = w!.toLowerCase();
      want.set(key, (want.get(key) ?? new Set()).add(ph.map((p) => p.replace(/\d$/, '')).join(' ')));
    }
    expect(want.size).toBeGreaterThan(30);
    for (const [w, prons] of want) expect(new Set(pronunciations(w).map((p) => p.join(' ')))).toEqual(prons);
  });

  it('covers every grammar word, with only the 39 CMU phones', () => {
    const lines = lexiconLines(grammarWords().map((w) => w.toUpperCase()));
    expect(lines[0]).toBe('!SIL SIL');
    for (const l of lines.slice(1)) for (const p of l.split(' ').slice(1)) expect(CMU_PHONES).toContain(p);
    expect(() => lexiconLines(['ZZQXV'])).toThrow(/1 word\(s\) not in CMUdict: ZZQXV/);
  });

  it('numbers <blk> 0, then the 39 phones and SIL in C order', () => {
    const u = unitLines();
    expect(u.length).toBe(41);
    expect(u[0]).toBe('<blk> 0');
    expect(u[1]).toBe('AA 1');
    expect(u[40]).toBe('ZH 40');
    expect(u).toContain('SIL 31');
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../../../test/temp-dir.ts';
import {
  buildUnits,
  labelTranscripts,
  parseLexicon,
  readLexicon,
  readUnits,
  stripStressDigit,
  transcriptToIds,
  writeUnits,
} from './lexicon.ts';
import { loadDataDir } from './load-data-dir.ts';
import { KALDI } from './test-fixtures.ts';

const DICT = path.join(KALDI, 'dict');

describe('lexicon', () => {
  it('reads the WSJ-style lexicon.txt: 60 entries over 41 words with alternates', async () => {
    const lex = await readLexicon(path.join(DICT, 'lexicon.txt'));
    const entries = [...lex.values()].reduce((a, p) => a + p.length, 0);
    expect(entries).toBe(60);
    expect(lex.size).toBe(37 + 4);
    expect(lex.get('<UNK>')).toEqual([['SPN']]);
    expect(lex.get('AFTER')).toEqual([['AE1', 'F', 'T', 'ER0']]);
  });

  it('with stress: units are exactly the phones of nonsilence_phones.txt present plus silence phones', async () => {
    const lex = await readLexicon(path.join(DICT, 'lexicon.txt'));
    const units = buildUnits(lex);
    expect(units[0]).toBe('<blk>');
    const allowed = new Set(
      readFileSync(path.join(DICT, 'nonsilence_phones.txt'), 'utf8')
        .split(/\s+/)
        .concat(readFileSync(path.join(DICT, 'silence_phones.txt'), 'utf8').split(/\s+/))
        .filter(Boolean),
    );
    for (const u of units.slice(1)) expect(allowed.has(u)).toBe(true);
    expect(new Set(units).size).toBe(units.length);
  });

  it('stripping stress maps AH0/AH1/AH2 to AH and keeps the 39 base phones at most', async () => {
    const lex = await readLexicon(path.join(DICT, 'lexicon.txt'), { stripStress: true });
    const units = buildUnits(lex);
    expect(units.slice(1).every((u) => !/\d$/.test(u))).toBe(true);
    const base = readFileSync(path.join(DICT, 'nonsilence_phones.txt'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[0]!.replace(/\d$/, ''));
    expect(base.length).toBe(39);
    for (const u of units.slice(1)) expect([...base, 'SIL', 'SPN', 'NSN']).toContain(u);
    expect(stripStressDigit('AH0')).toBe('AH');
    expect(stripStressDigit('SIL')).toBe('SIL');
  });

  it('ignores # comments and rejects a word without pronunciation', () => {
    const lex = parseLexicon('# header\nA AH0 # the article\nB B IY1\nB B IY1\n');
    expect([...lex]).toEqual([
      ['A', [['AH0']]],
      ['B', [['B', 'IY1']]],
    ]);
    expect(() => parseLexicon('A AH0\nLONELY\n', 'lex.txt')).toThrow(
      /lex\.txt:2: word "LONELY" has no pronunciation/,
    );
  });

  it('maps transcripts to ids, OOVs to <UNK> (SPN), and reports them', async () => {
    const lex = await readLexicon(path.join(DICT, 'lexicon.txt'));
    const units = buildUnits(lex);
    const id = (p: string) => units.indexOf(p);
    const r = transcriptToIds(['AFTER', 'ZYZZYVA'], lex, units);
    expect(Array.from(r.ids)).toEqual([id('AE1'), id('F'), id('T'), id('ER0'), id('SPN')]);
    expect(r.oov).toEqual(['ZYZZYVA']);
    expect(Array.from(transcriptToIds(['ZYZZYVA', 'AFTER'], lex, units, { unk: null }).ids)).toEqual([
      id('AE1'),
      id('F'),
      id('T'),
      id('ER0'),
    ]);
    expect(() => transcriptToIds(['X'], new Map([['A', [['AH']]]]), ['<blk>', 'AH'])).toThrow(
      /"X" is not in the lexicon and neither is the unk word "<UNK>"/,
    );
  });

  it('labels every utterance of the fixture data dir without OOVs', async () => {
    const dd = await loadDataDir(path.join(KALDI, 'datadir'));
    const lex = await readLexicon(path.join(DICT, 'lexicon.txt'), { stripStress: true });
    const units = buildUnits(lex);
    const { labels, oov } = labelTranscripts(dd.text!, lex, units);
    expect(oov.size).toBe(0);
    expect(labels.size).toBe(12);
    for (const ids of labels.values()) {
      expect(ids.length).toBeGreaterThan(20);
      expect(Math.min(...ids)).toBeGreaterThan(0);
    }
    await dd.close();
  });

  it('writes units.txt atomically and reads it back; rejects gaps', async () => {
    const d = testTempDir('data-wsj-units-');
    const f = path.join(d, 'units.txt');
    await writeUnits(f, ['<blk>', 'AA', 'AE']);
    expect(readFileSync(f, 'utf8')).toBe('<blk> 0\nAA 1\nAE 2\n');
    expect(await readUnits(f)).toEqual(['<blk>', 'AA', 'AE']);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(f, '<blk> 0\nAA 2\n');
    await expect(readUnits(f)).rejects.toThrow(/units\.txt:2: expected id 1, found 2/);
  });
});

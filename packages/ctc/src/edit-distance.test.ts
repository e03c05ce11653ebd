import { describe, expect, it } from 'vitest';
import { editDistance, errorRate, formatAlignment, worstAlignments } from './edit-distance';

const words = (s: string) => (s ? s.split(' ') : []);

describe('editDistance', () => {
  it('counts a substitution and an insertion (hand-worked)', () => {
    const r = editDistance(words('a b c d'), words('a x c d e'));
    expect(r).toMatchObject({
      errors: 2,
      substitutions: 1,
      deletions: 0,
      insertions: 1,
      refLength: 4,
      rate: 0.5,
    });
    expect(r.alignment.map((s) => s.op).join('')).toBe('CSCCI');
  });

  it('counts deletions, and handles empty sides', () => {
    expect(editDistance(words('the cat sat'), words('cat'))).toMatchObject({ errors: 2, deletions: 2 });
    expect(editDistance([], [1, 2])).toMatchObject({
      errors: 2,
      insertions: 2,
      rate: Number.POSITIVE_INFINITY,
    });
    expect(editDistance([], [])).toMatchObject({ errors: 0, rate: 0 });
  });

  it('is the Levenshtein distance (kitten -> sitting = 3)', () => {
    expect(editDistance('kitten', 'sitting').errors).toBe(3);
  });
});

describe('errorRate', () => {
  it('sums counts over utterances before dividing (corpus WER)', () => {
    const r = errorRate([words('a b c d'), words('e f')], [words('a x c d e'), words('f')]);
    expect(r).toEqual({ errors: 3, substitutions: 1, deletions: 1, insertions: 1, refLength: 6, rate: 0.5 });
  });

  it('rejects mismatched lists', () => {
    expect(() => errorRate([[1]], [])).toThrow(/refs has 1 utterances but hyps has 0/);
  });
});

describe('alignment printer', () => {
  it('prints sclite-style REF/HYP/EVAL lines', () => {
    const r = editDistance(words('the cat sat down'), words('the bat sat down now'));
    expect(formatAlignment(r.alignment)).toBe(
      ['REF:  the CAT sat down ***', 'HYP:  the BAT sat down NOW', 'EVAL:     S            I'].join('\n'),
    );
  });

  it('lists the worst utterances first with their ids', () => {
    const out = worstAlignments([words('a b'), words('c d e')], [words('a b'), words('x')], {
      count: 1,
      ids: ['u1', 'u2'],
    });
    expect(out.split('\n')[0]).toBe('u2: 3 errors / 3 (S 1, D 2, I 0)');
    expect(out).not.toContain('u1');
  });
});

import { describe, expect, it } from 'vitest';
import { duplicateOf, sameAsLabel } from './demo-rows';

const arch = (s: string) => ({ ops: s.split(' ') });

describe('duplicateOf', () => {
  it('points a baseline equal to the searched architecture at the searched row', () => {
    expect(duplicateOf([arch('C2 C2'), arch('C1 C1'), arch('C2 C2'), arch('C1 C2')])).toEqual([
      -1, -1, 0, -1,
    ]);
  });

  it('points every repeat at the first of its kind', () => {
    expect(duplicateOf([arch('C1 C1'), arch('C1 C1'), arch('C2 C2'), arch('C1 C1')])).toEqual([-1, 0, -1, 0]);
  });

  it('leaves distinct architectures alone, even with the same ops in another order', () => {
    expect(duplicateOf([arch('C1 C2'), arch('C2 C1')])).toEqual([-1, -1]);
  });
});

describe('sameAsLabel', () => {
  it('names the searched row "searched" and any other by its name', () => {
    expect(sameAsLabel('stnas-search (st)', 'stnas-search (st)')).toBe('same as searched');
    expect(sameAsLabel('baseline-small (C1 x4)', 'stnas-search (st)')).toBe('same as baseline-small (C1 x4)');
  });
});

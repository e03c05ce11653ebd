import { describe, expect, it } from 'vitest';
import { countNgrams } from './ngram-counts';

describe('countNgrams', () => {
  it('counts every n-gram of the padded sentences per order, in order of first occurrence', () => {
    const [uni, bi, tri] = countNgrams(
      [
        ['a', 'b'],
        ['b', 'a', 'b'],
      ],
      3,
    );
    expect([...uni!]).toEqual([
      ['<s>', 2],
      ['a', 2],
      ['b', 3],
      ['</s>', 2],
    ]);
    expect([...bi!]).toEqual([
      ['<s> a', 1],
      ['a b', 2],
      ['b </s>', 2],
      ['<s> b', 1],
      ['b a', 1],
    ]);
    expect([...tri!]).toEqual([
      ['<s> a b', 1],
      ['a b </s>', 2],
      ['<s> b a', 1],
      ['b a b', 1],
    ]);
  });

  it('stops at the sentence: an empty sentence has <s>, </s> and "<s> </s>", and no longer n-grams', () => {
    const counts = countNgrams([[]], 4);
    expect(counts.map((m) => [...m])).toEqual([
      [
        ['<s>', 1],
        ['</s>', 1],
      ],
      [['<s> </s>', 1]],
      [],
      [],
    ]);
  });

  it('reads any iterable once, e.g. a generator', () => {
    function* two() {
      yield ['x'];
      yield ['x'];
    }
    expect([...countNgrams(two(), 1)[0]!]).toEqual([
      ['<s>', 2],
      ['x', 2],
      ['</s>', 2],
    ]);
  });
});

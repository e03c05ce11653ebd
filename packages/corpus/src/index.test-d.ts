// Pins the public signatures of @stnas/corpus (src/index.ts): an accidental change to a parameter,
// a return type or a field fails `vitest` (typecheck). New exports and new fields do not.
import { describe, expectTypeOf, it } from 'vitest';
import {
  type CorpusSplit,
  type CorpusSplits,
  corpusDir,
  corpusSplits,
  fliteTestDir,
  lexiconPath,
  unitsPath,
} from './index';

describe('@stnas/corpus public API', () => {
  it('CorpusSplit', () => {
    expectTypeOf<CorpusSplit>().toEqualTypeOf<'train' | 'dev' | 'test'>();
  });
  it('CorpusSplits', () => {
    expectTypeOf<CorpusSplits['train']>().toEqualTypeOf<string>();
    expectTypeOf<CorpusSplits['dev']>().toEqualTypeOf<string>();
    expectTypeOf<CorpusSplits['test']>().toEqualTypeOf<string>();
  });
  it('corpusDir', () => {
    expectTypeOf(corpusDir).toEqualTypeOf<() => string>();
  });
  it('corpusSplits', () => {
    expectTypeOf(corpusSplits).toEqualTypeOf<() => CorpusSplits>();
  });
  it('lexiconPath', () => {
    expectTypeOf(lexiconPath).toEqualTypeOf<() => string>();
  });
  it('unitsPath', () => {
    expectTypeOf(unitsPath).toEqualTypeOf<() => string>();
  });
  it('fliteTestDir', () => {
    expectTypeOf(fliteTestDir).toEqualTypeOf<() => string>();
  });
});

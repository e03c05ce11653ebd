import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { estimateWordLm, loadArpa, perplexity } from '@stnas/ctc';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main';
import { readUnits } from '../data/lang';
import { capture, corpus, fakeModelDir } from '../test-support';
import {
  type Posteriors,
  readTranscripts,
  readWordLexicon,
  searchWords,
  tuneWordSearch,
} from './word-decode';

const tmp = mkdtempSync(path.join(tmpdir(), 'word-decode-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const units = readUnits(path.join(corpus, 'lang', 'units.txt'));
const lexicon = readWordLexicon(path.join(corpus, 'lang', 'lexicon.txt'), units);
const train = readTranscripts(path.join(corpus, 'train', 'text'));
const test = readTranscripts(path.join(corpus, 'test', 'text'));

/** Posteriors that spell each sentence's first pronunciations, unit then blank, at probability p. */
function spelled(sentences: [string, string[]][], p: number): Posteriors {
  const C = units.names.length;
  const post: Posteriors = { keys: [], logProbs: [], frames: [], classes: C };
  for (const [key, words] of sentences) {
    const path = words.flatMap((w) => lexicon.get(w)![0]!.flatMap((u) => [u, 0]));
    const data = new Float32Array(path.length * C);
    path.forEach((k, t) => {
      for (let c = 0; c < C; c++) data[t * C + c] = Math.log(c === k ? p : (1 - p) / (C - 1));
    });
    post.keys.push(key);
    post.logProbs.push(data);
    post.frames.push(path.length);
  }
  return post;
}

describe('word decoding', () => {
  it('reads every pronunciation as unit ids and leaves out non-speech words', () => {
    expect(lexicon.get('A')).toEqual([[units.ids.get('AH')!], [units.ids.get('EY')!]]);
    expect(lexicon.has('!SIL')).toBe(false);
    expect(lexicon.size).toBe(
      new Set(
        readFileSync(path.join(corpus, 'lang', 'lexicon.txt'), 'utf8')
          .split('\n')
          .map((l) => l.split(/\s+/)[0])
          .filter((w) => w && w !== '!SIL'),
      ).size,
    );
  });

  it('finds the spelled sentences exactly and tunes on a grid', () => {
    const lm = estimateWordLm([...train.values()], { order: 3 });
    const sentences = [...test].slice(0, 12);
    const post = spelled(sentences, 0.9);
    const hyps = searchWords(post, lexicon, lm, { lmWeight: 0.5, wordBonus: 0, beam: 16 });
    expect(hyps).toEqual(sentences.map(([, w]) => w));
    const tuning = tuneWordSearch(post, test, lexicon, lm, {
      beam: 8,
      dev: 'test',
      grid: { lmWeights: [0, 1], wordBonuses: [-30, 0] },
    });
    expect(tuning.grid).toHaveLength(4);
    // A bonus of -30 per word makes the empty hypothesis win: 100% WER (all deletions).
    expect(tuning.grid.filter((g) => g.wordBonus === -30).map((g) => g.wer)).toEqual([1, 1]);
    expect(tuning.wer).toBe(0);
    expect(tuning.wordBonus).toBe(0);
  });
});

describe('stnas lm and decode --word-lm', () => {
  it('stnas lm writes an ARPA 3-gram and prints its dev perplexity', async () => {
    const out = path.join(tmp, 'words.arpa');
    const c = capture();
    const code = await main(
      [
        'lm',
        '--text',
        path.join(corpus, 'train', 'text'),
        '--order',
        '3',
        '--out',
        out,
        '--dev',
        path.join(corpus, 'dev', 'text'),
        '--json',
      ],
      c.io,
    );
    expect(c.err).toEqual([]);
    expect(code).toBe(0);
    const r = JSON.parse(c.out[0]!);
    const lm = await loadArpa(out);
    expect(r.ngrams).toEqual(lm.ngrams.map((t) => t.size));
    expect(r.sentences).toBe(train.size);
    expect(r.devPerplexity).toBeCloseTo(
      perplexity(lm, [...readTranscripts(path.join(corpus, 'dev', 'text')).values()]).perplexity,
      2,
    );
  });

  it('decode --word-lm with a malformed ARPA file exits 4 naming the file and line', async () => {
    const bad = path.join(tmp, 'bad.arpa');
    writeFileSync(bad, '\\data\\\nngram 1=2\n\n\\1-grams:\n-0.5 A\nnot-a-number B\n\\end\\\n');
    const model = fakeModelDir(path.join(tmp, 'model'));
    const c = capture();
    const argv = ['--backend', 'cpu', 'decode', '--model', model, '--data', path.join(corpus, 'test')];
    expect(await main([...argv, '--word-lm', bad], c.io)).toBe(4);
    expect(c.err).toEqual([expect.stringMatching(/bad\.arpa:6: .*not-a-number B/)]);
    const u = capture();
    expect(await main([...argv, '--word-bonus', '1'], u.io)).toBe(2);
    expect(u.err[0]).toMatch(/--word-bonus and --tune-dev need --word-lm/);
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, planCorpus } from './plan';
import { speakers } from './speakers';

const corpus = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../packages/corpus/data');
const table = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' '));

describe('planCorpus', () => {
  it('regenerates exactly the committed transcripts and speakers for the default seed', () => {
    const plan = planCorpus(DEFAULT_SEED);
    for (const split of ['train', 'dev', 'test'] as const) {
      const text = table(path.join(corpus, split, 'text'));
      const mine = plan.filter((u) => u.speaker.split === split).sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(mine.map((u) => `${u.id} ${u.text}`)).toEqual(text.map((t) => t.join(' ')));
      const utt2spk = table(path.join(corpus, split, 'utt2spk'));
      expect(mine.map((u) => [u.id, u.speaker.id])).toEqual(utt2spk);
    }
    const committed = table(path.join(corpus, 'speakers.txt'));
    expect(committed.map((l) => l.slice(0, 3))).toEqual(speakers().map((s) => [s.id, s.split, s.voice]));
  });

  it('is deterministic for a seed and different for another', () => {
    const small = { train: 3, dev: 2, test: 2 };
    expect(planCorpus(7, small)).toEqual(planCorpus(7, small));
    expect(planCorpus(8, small).map((u) => u.text)).not.toEqual(planCorpus(7, small).map((u) => u.text));
  });

  it('never shares a sentence between splits, and uses 16+ speakers with distinct voice settings', () => {
    const plan = planCorpus(DEFAULT_SEED);
    expect(new Set(plan.map((u) => u.text)).size).toBe(plan.length);
    const spk = speakers();
    expect(spk.length).toBeGreaterThanOrEqual(16);
    expect(new Set(spk.map((s) => `${s.voice} ${s.rate} ${s.pitch}`)).size).toBe(spk.length);
  });
});

// Which speaker says which sentence: everything about the corpus that the seed decides.
import { makeSentences } from './grammar';
import { seededRandom, shuffle } from './random';
import { type Speaker, speakers } from './speakers';

/** How many utterances each speaker of a split says. */
export interface UttsPerSpeaker {
  train: number;
  dev: number;
  test: number;
}

/** Utterances per speaker in each split (train speakers × 50 = 800, dev 3 × 30, test 4 × 30). */
export const UTTS_PER_SPEAKER: Readonly<UttsPerSpeaker> = { train: 50, dev: 30, test: 30 };

/** One planned utterance. */
export interface PlannedUtterance {
  /** Kaldi utterance id, `<speaker>-<nnn>`. */
  id: string;
  speaker: Speaker;
  /** Upper-case transcript. */
  text: string;
}

/** The default seed of the committed corpus. */
export const DEFAULT_SEED = 20210119;

/**
 * Plans the corpus for `seed`: distinct sentences, shuffled, dealt to the speakers of each split so
 * that no sentence and no speaker is shared between splits. Deterministic for a seed.
 */
export function planCorpus(
  seed = DEFAULT_SEED,
  perSpeaker: Readonly<UttsPerSpeaker> = UTTS_PER_SPEAKER,
): PlannedUtterance[] {
  const spks = speakers();
  const need = spks.reduce((n, s) => n + perSpeaker[s.split], 0);
  const rand = seededRandom(seed);
  const sentences = shuffle(makeSentences(need, rand), rand);
  const out: PlannedUtterance[] = [];
  let next = 0;
  for (const split of ['train', 'dev', 'test'] as const) {
    for (const speaker of spks.filter((s) => s.split === split)) {
      for (let i = 1; i <= perSpeaker[split]; i++) {
        out.push({ id: `${speaker.id}-${String(i).padStart(3, '0')}`, speaker, text: sentences[next++]! });
      }
    }
  }
  return out;
}

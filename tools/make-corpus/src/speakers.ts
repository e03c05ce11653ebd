// The synthetic speakers: eSpeak NG English voices with male/female variants, rates and pitches.

/** One synthetic speaker. */
export interface Speaker {
  /** Kaldi speaker id (also the utterance id prefix). */
  id: string;
  /** eSpeak NG voice name with variant, e.g. `en-us+f3`. */
  voice: string;
  /** Speaking rate in words per minute (eSpeak default 175). */
  rate: number;
  /** Base pitch 0–99 (eSpeak default 50). */
  pitch: number;
  /** Split the speaker belongs to. */
  split: 'train' | 'dev' | 'test';
}

type Row = [voice: string, rate: number, pitch: number];

// Accents are spread over every split; dev and test get voice/variant/rate/pitch combinations of
// their own so that no test speaker is a train speaker.
const TRAIN: Row[] = [
  ['en-us', 175, 50],
  ['en-us+f3', 165, 60],
  ['en-us+m3', 185, 45],
  ['en', 170, 50],
  ['en+f2', 160, 65],
  ['en-gb-x-rp+m7', 175, 40],
  ['en-gb-x-rp+f4', 180, 70],
  ['en-029', 160, 50],
  ['en-029+f1', 170, 55],
  ['en-gb-scotland+m2', 165, 45],
  ['en-gb-scotland+f5', 175, 62],
  ['en-us-nyc+m4', 190, 50],
  ['en-us-nyc+f2', 170, 58],
  ['en-gb-x-gbclan+m1', 160, 48],
  ['en-gb-x-gbcwmd+f3', 165, 66],
  ['en-gb-x-gbcwmd+m5', 180, 42],
];
const DEV: Row[] = [
  ['en-us+m6', 170, 52],
  ['en-gb-x-rp+f1', 165, 63],
  ['en-gb-x-gbclan+f4', 175, 57],
];
const TEST: Row[] = [
  ['en-us+f5', 175, 64],
  ['en+m2', 165, 47],
  ['en-029+m4', 180, 50],
  ['en-gb-scotland+f1', 170, 60],
];

/** All speakers: 16 train, 3 dev, 4 test, with ids `tr01`…, `dv01`…, `te01`…. */
export function speakers(): Speaker[] {
  const make = (rows: Row[], prefix: string, split: Speaker['split']) =>
    rows.map(
      ([voice, rate, pitch], i): Speaker => ({
        id: `${prefix}${String(i + 1).padStart(2, '0')}`,
        voice,
        rate,
        pitch,
        split,
      }),
    );
  return [...make(TRAIN, 'tr', 'train'), ...make(DEV, 'dv', 'dev'), ...make(TEST, 'te', 'test')];
}

// Test-only: a tiny LibriSpeech-shaped tree (`<reader>/<chapter>/<reader>-<chapter>-<utt>.flac` and
// `<reader>-<chapter>.trans.txt`) made from the Kaldi fixture data dir's 12 WAVs with Debian's `flac`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { kaldiFixtures } from './fixtures';

/** The fixture data dir (3 speakers x 4 utterances, 16 kHz WAV, text, Kaldi fbank and CMVN). */
export const fixtureDataDir = path.join(kaldiFixtures, 'datadir');

/** Maps the fixture's `spkN-uttM` to LibriSpeech ids: reader N, chapter 100, utterance M. */
export function libriId(kaldiUtt: string): string {
  const m = /^spk(\d+)-utt(\d+)$/.exec(kaldiUtt)!;
  return `${m[1]}-100-${m[2]!.padStart(4, '0')}`;
}

/** Writes the tree under `root` (returned) and returns the FLAC path of each LibriSpeech id. */
export function makeLibriSpeechTree(root: string): Map<string, string> {
  const text = readFileSync(path.join(fixtureDataDir, 'text'), 'utf8').trim().split('\n');
  const files = new Map<string, string>();
  const trans = new Map<string, string[]>();
  for (const line of text) {
    const [utt, ...words] = line.split(' ');
    const id = libriId(utt!);
    const [reader, chapter] = id.split('-');
    const dir = path.join(root, reader!, chapter!);
    mkdirSync(dir, { recursive: true });
    const flac = path.join(dir, `${id}.flac`);
    execFileSync('flac', ['-s', '-f', '-o', flac, path.join(fixtureDataDir, 'wav', `${utt}.wav`)]);
    files.set(id, flac);
    const t = path.join(dir, `${reader}-${chapter}.trans.txt`);
    trans.set(t, [...(trans.get(t) ?? []), `${id} ${words.join(' ')}`]);
  }
  for (const [t, lines] of trans) writeFileSync(t, `${lines.join('\n')}\n`);
  writeFileSync(
    path.join(root, 'SPEAKERS.TXT'),
    ';ID  |SEX| SUBSET | MINUTES | NAME\n1 | M | dev-clean | 1.0 | One\n2 | F | dev-clean | 1.0 | Two\n',
  );
  return files;
}

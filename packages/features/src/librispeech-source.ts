// A LibriSpeech subset (e.g. LibriSpeech/dev-clean: `<reader>/<chapter>/<reader>-<chapter>-<utt>.flac`
// and `<reader>-<chapter>.trans.txt`) as data dir tables, the way Kaldi's
// egs/librispeech/s5/local/data_prep.sh builds them: the speaker is `<reader>-<chapter>`, genders
// come from SPEAKERS.TXT when it is found.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { compareC } from '@stnas/data-wsj';
import type { AudioSource } from './prepare-data-dir';

async function readGenders(src: string): Promise<Map<string, string> | undefined> {
  const file = [path.join(src, 'SPEAKERS.TXT'), path.join(src, '..', 'SPEAKERS.TXT')].find(existsSync);
  if (!file) return undefined;
  const out = new Map<string, string>();
  for (const raw of (await readFile(file, 'utf8')).split('\n')) {
    const l = raw.trim();
    if (l === '' || l.startsWith(';')) continue;
    const [id, sex] = l.split('|').map((f) => f.trim());
    if (id && (sex === 'M' || sex === 'F')) out.set(id, sex.toLowerCase());
  }
  return out;
}

/**
 * Reads a LibriSpeech subset folder into data dir tables (wav.scp of absolute FLAC paths, utt2spk,
 * text, spk2gender) for {@link prepareDataDir}. A FLAC file without a transcript line, a transcript
 * line without its FLAC file, or a chapter without its `.trans.txt` is an error naming the file and
 * the utterance.
 */
export async function readLibriSpeech(src: string): Promise<AudioSource> {
  const root = path.resolve(src);
  if (!existsSync(root)) throw new Error(`readLibriSpeech: ${root} does not exist`);
  const wav: AudioSource['wav'] = [];
  const utt2spk = new Map<string, string>();
  const text = new Map<string, string>();
  const readers = (await readdir(root, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort(compareC);
  for (const reader of readers) {
    const readerDir = path.join(root, reader);
    const chapters = (await readdir(readerDir, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort(compareC);
    for (const chapter of chapters) {
      const dir = path.join(readerDir, chapter);
      const spk = `${reader}-${chapter}`;
      const names = await readdir(dir);
      const flacs = names.filter((n) => n.endsWith('.flac')).sort(compareC);
      const trans = path.join(dir, `${spk}.trans.txt`);
      if (!existsSync(trans)) {
        if (flacs.length === 0) continue;
        throw new Error(
          `readLibriSpeech: ${path.join(dir, flacs[0]!)} (utterance ${flacs[0]!.slice(0, -5)}): no transcript file ${trans}`,
        );
      }
      const lines = (await readFile(trans, 'utf8')).split('\n');
      const inTrans = new Set<string>();
      lines.forEach((raw, i) => {
        const l = raw.trim();
        if (l === '') return;
        const m = /^(\S+)\s*(.*)$/.exec(l)!;
        const utt = m[1]!;
        if (!utt.startsWith(`${spk}-`))
          throw new Error(`readLibriSpeech: ${trans}:${i + 1}: utterance ${utt} is not of chapter ${spk}`);
        if (inTrans.has(utt))
          throw new Error(`readLibriSpeech: ${trans}:${i + 1}: utterance ${utt} appears twice`);
        inTrans.add(utt);
        const audio = path.join(dir, `${utt}.flac`);
        if (!names.includes(`${utt}.flac`))
          throw new Error(`readLibriSpeech: ${trans}:${i + 1}: utterance ${utt} has no audio file ${audio}`);
        text.set(utt, m[2]!.replace(/\s+/g, ' '));
      });
      for (const f of flacs) {
        const utt = f.slice(0, -5);
        if (!inTrans.has(utt))
          throw new Error(
            `readLibriSpeech: ${path.join(dir, f)} (utterance ${utt}): no transcript line in ${trans}`,
          );
        utt2spk.set(utt, spk);
        wav.push({ key: utt, value: path.join(dir, f), line: wav.length + 1 });
      }
    }
  }
  if (wav.length === 0)
    throw new Error(
      `readLibriSpeech: ${root} holds no <reader>/<chapter>/<reader>-<chapter>-<utt>.flac files (give a subset folder such as LibriSpeech/dev-clean)`,
    );
  wav.sort((a, b) => compareC(a.key, b.key));
  wav.forEach((l, i) => {
    l.line = i + 1;
  });
  const genders = await readGenders(root);
  const spk2gender = genders
    ? new Map(
        [...new Set(utt2spk.values())]
          .filter((s) => genders.has(s.split('-')[0]!))
          .map((s) => [s, genders.get(s.split('-')[0]!)!]),
      )
    : undefined;
  return {
    baseDir: root,
    wavScpName: root,
    generated: true,
    wav,
    utt2spk,
    text,
    textName: 'the chapter transcripts',
    spk2gender,
  };
}

// Writes one Kaldi data dir from computed features: feats (CM), per-speaker CMVN, and the tables.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { compareC, loadScp, type Matrix, writeArk } from '@stnas/data-wsj';
import { computeCmvnStats } from '@stnas/features';

/** One utterance of a data dir. */
export interface DataDirUtterance {
  id: string;
  speaker: string;
  text: string;
  feats: Matrix;
  seconds: number;
}

/** Sizes of one written data dir. */
export interface SplitSummary {
  utterances: number;
  speakers: number;
  frames: number;
  seconds: number;
}

const lines = (xs: string[]) => (xs.length ? `${xs.join('\n')}\n` : '');

/**
 * Writes feats.ark/scp (CM-compressed), cmvn.ark/scp (per speaker, over the stored features, as
 * compute-cmvn-stats reads feats.scp), text, utt2spk, spk2utt, utt2num_frames and utt2dur, in C order.
 */
export async function writeDataDir(dir: string, input: DataDirUtterance[]): Promise<SplitSummary> {
  const utts = [...input].sort((a, b) => compareC(a.id, b.id));
  await mkdir(dir, { recursive: true });
  await writeArk(
    path.join(dir, 'feats.ark'),
    utts.map((u) => ({ key: u.id, value: u.feats })),
    { compress: 'CM' },
  );
  const spk2utt = new Map<string, string[]>();
  for (const u of utts) spk2utt.set(u.speaker, [...(spk2utt.get(u.speaker) ?? []), u.id]);
  const spks = [...spk2utt.keys()].sort(compareC);
  const scp = await loadScp(path.join(dir, 'feats.scp'));
  const stored = new Map<string, Matrix>();
  try {
    for (const u of utts) stored.set(u.id, await scp.getMatrix(u.id));
  } finally {
    await scp.close();
  }
  await writeArk(
    path.join(dir, 'cmvn.ark'),
    spks.map((s) => ({ key: s, value: computeCmvnStats(spk2utt.get(s)!.map((id) => stored.get(id)!)) })),
  );
  await writeFile(path.join(dir, 'text'), lines(utts.map((u) => `${u.id} ${u.text}`)));
  await writeFile(path.join(dir, 'utt2spk'), lines(utts.map((u) => `${u.id} ${u.speaker}`)));
  await writeFile(path.join(dir, 'spk2utt'), lines(spks.map((s) => `${s} ${spk2utt.get(s)!.join(' ')}`)));
  await writeFile(path.join(dir, 'utt2num_frames'), lines(utts.map((u) => `${u.id} ${u.feats.rows}`)));
  await writeFile(path.join(dir, 'utt2dur'), lines(utts.map((u) => `${u.id} ${u.seconds.toFixed(4)}`)));
  return {
    utterances: utts.length,
    speakers: spks.length,
    frames: utts.reduce((n, u) => n + u.feats.rows, 0),
    seconds: utts.reduce((n, u) => n + u.seconds, 0),
  };
}

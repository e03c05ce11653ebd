// `stnas prepare --librispeech` on a LibriSpeech-shaped tree of FLAC files made here with Debian's
// `flac` from Kaldi's fixture WAVs (12 utterances, 3 speakers), then `stnas pipeline` on the result.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDataDir } from '@stnas/data-wsj';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../../../../test/fixtures';
import { main } from '../cli/main';
import { capture, tinySupernet } from '../test-support';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'stnas-prepare-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const fixture = fixturePath('kaldi', 'kaldi', 'datadir');

/** `spkN-uttM` of the fixture as LibriSpeech's `<reader>/<chapter>/<reader>-<chapter>-<utt>.flac`. */
function makeTree(root: string, extraWord = ''): void {
  const trans = new Map<string, string[]>();
  for (const line of readFileSync(path.join(fixture, 'text'), 'utf8').trim().split('\n')) {
    const [utt, ...words] = line.split(' ');
    const m = /^spk(\d+)-utt(\d+)$/.exec(utt!)!;
    const id = `${m[1]}-7-${m[2]!.padStart(4, '0')}`;
    const dir = path.join(root, m[1]!, '7');
    mkdirSync(dir, { recursive: true });
    execFileSync('flac', [
      '-s',
      '-f',
      '-o',
      path.join(dir, `${id}.flac`),
      path.join(fixture, 'wav', `${utt}.wav`),
    ]);
    const t = path.join(dir, `${m[1]}-7.trans.txt`);
    trans.set(t, [
      ...(trans.get(t) ?? []),
      `${id} ${words.join(' ')}${id.endsWith('0001') ? extraWord : ''}`,
    ]);
  }
  for (const [t, lines] of trans) writeFileSync(t, `${lines.join('\n')}\n`);
}

describe('stnas prepare --librispeech', () => {
  const src = path.join(tmp, 'dev-clean');
  makeTree(src, ' ZYZZYVAQX');
  const out = path.join(tmp, 'data', 'train');

  it('writes a data dir and a CMUdict lang/ dir, reports OOVs in one line, and skips a finished dir', async () => {
    const c = capture();
    const code = await main(
      ['prepare', '--librispeech', src, '--out', out, '--workers', '2', '--json'],
      c.io,
    );
    expect(code, c.err.join('\n')).toBe(0);
    const r = JSON.parse(c.out.at(-1)!);
    expect(r).toMatchObject({
      data: out,
      utterances: 12,
      speakers: 3,
      upToDate: false,
      oovWords: 1,
      oovTokens: 3,
    });
    expect(r.seconds).toBeCloseTo(42.591, 3); // the fixture's utt2dur (wav-to-duration) sums to 42.591 s
    expect(c.err.filter((l) => l.includes('not in the lexicon'))).toEqual([
      `prepare: 1 word (3 of 123 tokens, 2.44%) is not in the lexicon; listed in ${path.join(out, 'oov.txt')}`,
    ]);
    expect(readFileSync(path.join(out, 'oov.txt'), 'utf8')).toBe('ZYZZYVAQX 3\n');
    const lang = path.join(tmp, 'data', 'lang');
    const units = readFileSync(path.join(lang, 'units.txt'), 'utf8').trim().split('\n');
    expect(units).toHaveLength(41); // blank, 39 stress-free CMUdict phones, SIL
    expect(units.slice(0, 3)).toEqual(['<blk> 0', 'AA 1', 'AE 2']);
    const lex = readFileSync(path.join(lang, 'lexicon.txt'), 'utf8');
    expect(lex).toMatch(/^COMPANY K AH M P AH N IY$/m);
    expect(lex).not.toMatch(/[A-Z][0-2]\b/); // no stress digits
    const dd = await loadDataDir(out);
    expect(dd.utts).toHaveLength(12);
    expect(dd.cmvn!.keys()).toEqual(['1-7', '2-7', '3-7']);
    await dd.close();
    const again = capture();
    expect(await main(['prepare', '--librispeech', src, '--out', out, '--json'], again.io)).toBe(0);
    expect(JSON.parse(again.out.at(-1)!)).toMatchObject({ upToDate: true, utterances: 12 });
  }, 60_000);

  it('names the utterance and file of a FLAC file without a transcript line (exit 4)', async () => {
    const bad = path.join(tmp, 'bad');
    makeTree(bad);
    const trans = path.join(bad, '2', '7', '2-7.trans.txt');
    writeFileSync(trans, readFileSync(trans, 'utf8').replace(/^2-7-0002 .*\n/m, ''));
    const c = capture();
    expect(await main(['prepare', '--librispeech', bad, '--out', path.join(tmp, 'bad-out')], c.io)).toBe(4);
    expect(c.err.join('\n')).toContain(
      `${path.join(bad, '2', '7', '2-7-0002.flac')} (utterance 2-7-0002): no transcript line in ${trans}`,
    );
    expect(existsSync(path.join(tmp, 'bad-out'))).toBe(false);
  });

  it('gives a data dir that stnas pipeline trains on, and --speed-perturb works on top of it', async () => {
    const cfg = path.join(tmp, 'supernet.json');
    writeFileSync(cfg, JSON.stringify(tinySupernet(['tdnn-C1D1Nln', 'tdnn-C2D1Nln'])));
    const c = capture();
    const args = [
      '--backend',
      'cpu',
      'pipeline',
      '--config',
      cfg,
      '--data',
      out,
      '--dev',
      out,
      '--test',
      out,
    ];
    const run = ['--out', path.join(tmp, 'run'), '--max-epochs', '1', '--batch-size', '4', '--json'];
    const code = await main([...args, ...run, '--speed-perturb', '0.9,1.1', '--search-epochs', '1'], c.io);
    expect(code, c.err.join('\n')).toBe(0);
    const res = JSON.parse(c.out.at(-1)!);
    // one epoch of a 12-unit net on 12 utterances: a finite, non-zero error rate is all it can show
    expect(Number.isFinite(res.results[0].testPer) && res.results[0].testPer > 0).toBe(true);
    expect((await loadDataDir(path.join(tmp, 'run', 'data', 'train_sp'))).utts).toHaveLength(24);
  }, 180_000);
});

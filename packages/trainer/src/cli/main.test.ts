import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { capture, corpus, fakeModelDir } from '../test-support';
import { COMMAND_HELP } from './help';
import { main } from './main';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'stnas-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('stnas CLI', () => {
  it('prints help and exits 0 with --help', async () => {
    const c = capture();
    expect(await main(['--help'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/doctor/);
    for (const cmd of ['warmup', 'search', 'retrain', 'decode', 'report', 'pipeline', 'demo']) {
      expect(c.out.join('\n')).toContain(`  ${cmd} `);
    }
  });

  it('every command has --help, exiting 0', async () => {
    for (const cmd of Object.keys(COMMAND_HELP)) {
      const c = capture();
      expect(await main([cmd, '--help'], c.io)).toBe(0);
      expect(c.out[0]).toMatch(new RegExp(`^Usage: stnas ${cmd}`));
      expect(c.err).toEqual([]);
    }
  });

  it('doctor reports the backend it chose and why', async () => {
    const c = capture();
    expect(await main(['--backend', 'cpu', 'doctor'], c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toMatch(/backend\s+cpu via @tensorflow\/tfjs-backend-cpu/);
    expect(text).toMatch(/why\s+requested with --backend cpu/);
    expect(text).toMatch(new RegExp(`node\\s+${process.version.replace(/\./g, '\\.')}`));
  });

  it('doctor --json is one parseable line', async () => {
    const c = capture();
    expect(await main(['--backend', 'cpu', 'doctor', '--json'], c.io)).toBe(0);
    const report = JSON.parse(c.out[0]!);
    expect(report.selection.backend).toBe('cpu');
  });

  it('a missing tensorflow backend exits 3 with one line naming the install', async () => {
    const c = capture();
    expect(await main(['--backend', 'tensorflow', 'doctor'], c.io)).toBe(3);
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(/npm install @tensorflow\/tfjs-node/);
  });

  const train = path.join(corpus, 'train');
  const dev = path.join(corpus, 'dev');
  const config = path.join(tmp, 'config.json');
  writeFileSync(config, '{}');
  const bad: [string[], RegExp][] = [
    [['--backend', 'gpu', 'doctor'], /--backend must be one of auto, tensorflow, wasm, cpu, not "gpu"/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['--nope'], /Unknown option '--nope'/],
    [['doctor', 'extra'], /doctor takes no positional arguments/],
    [['warmup', '--estimator', 'st'], /option --estimator does not apply to 'stnas warmup'/],
    [['warmup', '--data', train], /--config is required/],
    [['warmup', '--config', path.join(tmp, 'none.json')], /--config .*none\.json does not exist/],
    [['warmup', '--config', config, '--data', '/no/such/dir'], /--data \/no\/such\/dir does not exist/],
    [
      ['warmup', '--config', config, '--data', train, '--dev', dev, '--out', tmp, '--seed', 'abc'],
      /--seed must be an integer in \[0, 2147483647\], got "abc"/,
    ],
    [
      ['warmup', '--config', config, '--data', train, '--dev', dev, '--out', tmp, '--lr', '0'],
      /--lr must be a number in \(0, 10\), got "0"/,
    ],
    [
      ['search', '--config', config, '--data', train, '--dev', dev, '--out', tmp, '--estimator', 'enas'],
      /--estimator must be one of st, gdas, snas, darts, spos, leg, not "enas"/,
    ],
    [
      ['search', '--config', config, '--data', train, '--dev', dev, '--out', tmp, '--held-out-ratio', '1'],
      /--held-out-ratio must be a number in \(0, 1\)/,
    ],
    [
      [
        'search',
        '--config',
        config,
        '--data',
        train,
        '--dev',
        dev,
        '--out',
        tmp,
        '--decision-threshold',
        '1.5',
      ],
      /--decision-threshold must be a number in \[0, 1\], got "1.5"/,
    ],
    [['demo', '--stable-epochs', 'two'], /--stable-epochs must be an integer in \[0, 1000\], got "two"/],
    [['demo', '--search-epochs', '0'], /--search-epochs must be an integer in \[1, inf\], got "0"/],
    [['retrain', '--stable-epochs', '2'], /option --stable-epochs does not apply to 'stnas retrain'/],
    [['decode', '--model', tmp], /--data is required/],
    [
      ['retrain', '--config', config, '--data', train, '--dev', dev, '--out', tmp, '--name', '../x'],
      /--name must be a plain folder name/,
    ],
  ];
  it.each(bad)('bad arguments %j exit 2 with one line', async (argv, message) => {
    const c = capture();
    expect(await main(argv, c.io)).toBe(2);
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(message);
    expect(c.out).toEqual([]);
  });

  it('a config the search space rejects exits 4 naming the file and the field', async () => {
    const c = capture();
    expect(
      await main(
        ['--backend', 'cpu', 'warmup', '--config', config, '--data', train, '--dev', dev, '--out', tmp],
        c.io,
      ),
    ).toBe(4);
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(/config\.json: search-space config: "net" must be one of/);
  });

  it('report writes a self-contained page for any run directory, saying what is missing', async () => {
    const dir = path.join(tmp, 'empty-run');
    mkdirSync(dir, { recursive: true });
    const c = capture();
    expect(await main(['report', '--out', dir, '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.out[0]!)).toEqual({ report: path.join(dir, 'report.html') });
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(html).toContain('No search was logged in this run.');
  });

  it('a config that is not valid JSON exits 4 naming the file', async () => {
    const f = path.join(tmp, 'broken.json');
    writeFileSync(f, '{ "net": ');
    const c = capture();
    expect(
      await main(
        ['--backend', 'cpu', 'warmup', '--config', f, '--data', train, '--dev', dev, '--out', tmp],
        c.io,
      ),
    ).toBe(4);
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(/broken\.json is not valid JSON/);
  });
});

// A data dir built from three corpus utterances, broken in one way per test.
function dataDir(name: string, edit: (files: Record<string, string>) => void): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const src = path.join(corpus, 'train');
  const pick = (file: string, keys: (k: string) => boolean) =>
    readFileSync(path.join(src, file), 'utf8')
      .split('\n')
      .filter((l) => l && keys(l.split(' ')[0]!))
      .join('\n');
  const feats = readFileSync(path.join(src, 'feats.scp'), 'utf8').split('\n').filter(Boolean).slice(0, 3);
  const keys = new Set(feats.map((l) => l.split(' ')[0]!));
  const abs = (l: string) =>
    l.replace(/ (\S+):(\d+)$/, (_m, p: string, o: string) => ` ${path.resolve(src, p)}:${o}`);
  const spk = new Set(
    pick('utt2spk', (k) => keys.has(k))
      .split('\n')
      .map((l) => l.split(' ')[1]),
  );
  const files: Record<string, string> = {
    'feats.scp': feats.map(abs).join('\n'),
    'cmvn.scp': pick('cmvn.scp', (k) => spk.has(k))
      .split('\n')
      .map(abs)
      .join('\n'),
    utt2spk: pick('utt2spk', (k) => keys.has(k)),
    text: pick('text', (k) => keys.has(k)),
  };
  edit(files);
  for (const [f, t] of Object.entries(files)) writeFileSync(path.join(dir, f), `${t}\n`);
  return dir;
}

describe('stnas with broken data', () => {
  // A model dir to decode with: the manifest and lang files are enough to reach the data checks.
  const model = fakeModelDir(path.join(tmp, 'model'));
  const cases: [string, (f: Record<string, string>) => void, RegExp][] = [
    [
      'no-text',
      (f) => (f.text = f.text!.split('\n').slice(1).join('\n')),
      // data-wsj's loadDataDir cross-checks the tables and names the file and the utterance
      /text: keys do not match utt2spk; missing 1: \S+/,
    ],
    [
      'no-spk',
      (f) => (f.utt2spk = f.utt2spk!.split('\n').slice(1).join('\n')),
      /feats\.scp: keys do not match utt2spk; extra 1: \S+/,
    ],
    ['bad-offset', (f) => (f['feats.scp'] = f['feats.scp']!.replace(/:(\d+)$/m, ':3')), /feats\.ark/],
    ['no-cmvn', (f) => (f['cmvn.scp'] = ''), /cmvn\.scp: no CMVN stats for speaker|cmvn\.scp/],
    ['bad-lexicon-phone', (f) => (f.text = f.text!.replace(/ \S+/, ' ZZZ-NOT-A-WORD')), /^PASS$/],
  ];
  it.each(cases.filter(([n]) => n !== 'bad-lexicon-phone'))(
    'decode of a data dir with %s exits 4 with one line',
    async (name, edit, message) => {
      const dir = dataDir(name, edit);
      const c = capture();
      const code = await main(['--backend', 'cpu', 'decode', '--model', model, '--data', dir], c.io);
      expect(c.err).toHaveLength(1);
      expect(c.err[0]).toMatch(message);
      expect(code).toBe(4);
    },
  );

  it('a data dir without feats.scp exits 4 saying what a data dir needs', async () => {
    const dir = path.join(tmp, 'empty');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'text'), 'a HELLO\n');
    writeFileSync(path.join(dir, 'utt2spk'), 'a s\n');
    const c = capture();
    expect(await main(['--backend', 'cpu', 'decode', '--model', model, '--data', dir], c.io)).toBe(4);
    expect(c.err[0]).toMatch(/has no feats\.scp \(expected a Kaldi data dir\)/);
  });

  it('a corrupt weights file exits 4 naming it', async () => {
    const dir = dataDir('ok', () => {});
    const c = capture();
    expect(await main(['--backend', 'cpu', 'decode', '--model', model, '--data', dir], c.io)).toBe(4);
    expect(c.err[0]).toMatch(/weights\.ckpt is not an stnas checkpoint/);
  });
});

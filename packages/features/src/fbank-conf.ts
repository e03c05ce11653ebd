// Kaldi `--config` files for compute-fbank-feats (one `--name=value` per line, `#` comments; see
// util/parse-options.cc ReadConfigFile), mapped onto FbankOptions.
import { readFileSync } from 'node:fs';
import type { FbankOptions } from './fbank';
import type { WindowType } from './feature-window';

type Kind = 'number' | 'boolean' | 'window';
const KNOWN: Record<string, [keyof FbankOptions, Kind]> = {
  'sample-frequency': ['sampleFrequency', 'number'],
  'frame-length': ['frameLength', 'number'],
  'frame-shift': ['frameShift', 'number'],
  'preemphasis-coefficient': ['preemphCoeff', 'number'],
  'remove-dc-offset': ['removeDcOffset', 'boolean'],
  'window-type': ['windowType', 'window'],
  'blackman-coeff': ['blackmanCoeff', 'number'],
  'snip-edges': ['snipEdges', 'boolean'],
  'round-to-power-of-two': ['roundToPowerOfTwo', 'boolean'],
  dither: ['dither', 'number'],
  'num-mel-bins': ['numMelBins', 'number'],
  'low-freq': ['lowFreq', 'number'],
  'high-freq': ['highFreq', 'number'],
  'use-energy': ['useEnergy', 'boolean'],
  'use-log-fbank': ['useLogFbank', 'boolean'],
  'use-power': ['usePower', 'boolean'],
  'raw-energy': ['rawEnergy', 'boolean'],
  'htk-compat': ['htkCompat', 'boolean'],
  'energy-floor': ['energyFloor', 'number'],
};
const WINDOWS = ['povey', 'hamming', 'hanning', 'rectangular', 'blackman', 'sine'];

/**
 * Parses a Kaldi fbank config (`--num-mel-bins=40` lines) into {@link FbankOptions}; unknown options
 * and bad values are errors naming `file` and the line. Kaldi's default dither of 1 is made explicit.
 */
export function parseFbankConf(text: string, file = '<fbank.conf>'): FbankOptions {
  const out: Record<string, number | boolean | string> = { dither: 1 };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.replace(/#.*$/, '').trim();
    if (l === '') continue;
    const where = `${file}:${i + 1}`;
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(l);
    if (!m) throw new Error(`${where}: expected --name=value, found ${JSON.stringify(l)}`);
    const name = m[1]!.replace(/_/g, '-');
    const known = KNOWN[name];
    if (!known)
      throw new Error(
        `${where}: option --${name} is not supported by fbank (supported: ${Object.keys(KNOWN).join(', ')})`,
      );
    const [key, kind] = known;
    const raw = (m[2] ?? (kind === 'boolean' ? 'true' : '')).trim();
    if (kind === 'boolean') {
      if (raw !== 'true' && raw !== 'false')
        throw new Error(`${where}: --${name} expects true or false, found ${JSON.stringify(raw)}`);
      out[key] = raw === 'true';
    } else if (kind === 'window') {
      if (!WINDOWS.includes(raw))
        throw new Error(
          `${where}: --${name} expects one of ${WINDOWS.join(', ')}, found ${JSON.stringify(raw)}`,
        );
      out[key] = raw as WindowType;
    } else {
      const v = Number(raw);
      if (raw === '' || !Number.isFinite(v))
        throw new Error(`${where}: --${name} expects a number, found ${JSON.stringify(raw)}`);
      out[key] = v;
    }
  }
  return out as FbankOptions;
}

/** Reads and parses a Kaldi fbank config file (see {@link parseFbankConf}). */
export function readFbankConf(file: string): FbankOptions {
  return parseFbankConf(readFileSync(file, 'utf8'), file);
}

/** Writes options back as Kaldi config lines (`--num-mel-bins=40`), in Kaldi's option order. */
export function fbankConfLines(o: FbankOptions): string[] {
  const byKey = new Map(Object.entries(KNOWN).map(([name, [key]]) => [key, name]));
  return [...byKey]
    .filter(([key]) => o[key] !== undefined)
    .map(([key, name]) => `--${name}=${String(o[key])}`);
}

// Helpers shared by the trainer's tests (not exported from the package).
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM } from '../../../test/system-tools';
import type { CliIo } from './cli/io';

/** The repository root, from this file's location. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The bundled corpus folder. */
export const corpus = path.join(repoRoot, 'packages', 'corpus', 'data');

/** A CliIo capturing stdout and stderr lines. */
export function capture(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (l) => out.push(l), err: (l) => err.push(l), progress: { write: () => {}, isTTY: false } },
    out,
    err,
  };
}

/**
 * Makes `dir` a model dir that gets decode past its manifest checks: the bundled lang files, a
 * one-block manifest and a weights file that is no checkpoint (so decode fails there, after the
 * LM and data checks).
 */
export function fakeModelDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(corpus, 'lang', 'lexicon.txt'), path.join(dir, 'lexicon.txt'));
  copyFileSync(path.join(corpus, 'lang', 'units.txt'), path.join(dir, 'units.txt'));
  writeFileSync(path.join(dir, 'weights.ckpt'), 'x');
  writeFileSync(
    path.join(dir, 'model.json'),
    JSON.stringify({
      format: 'stnas-model-1',
      config: {
        candidate: ['tdnn-C1D1Nln'],
        net: 'UniNodeNet',
        net_configs: { block_list: [1], idim: 120, odims: [8], num_classes: 41 },
      },
      pipeline: { cmvn: 'speaker', normVars: true, deltaOrder: 2 },
      lexicon: 'lexicon.txt',
      units: 'units.txt',
      weights: 'weights.ckpt',
      seed: 0,
    }),
  );
  return dir;
}

/** Launches headless Chromium with the flags this closed-network machine needs. */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM.path,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A tiny MFRNet config (one stride-1 block of 12 units, 120-dim input, 41 classes) over `candidates`. */
export function tinySupernet(candidates: string[]) {
  return {
    candidate: { base: candidates },
    net: 'MFRNet' as const,
    net_configs: {
      block_list: [2],
      pos_subsample: 1,
      idim_sub: 12,
      odim_sub: 12,
      dropout_sub: 0.1,
      idim: 120,
      odims: [12],
      num_classes: 41,
      dropout: 0.1,
    },
  };
}

// Helpers shared by the trainer's tests (not exported from the package).
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

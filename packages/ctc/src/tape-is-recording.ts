import { engine } from '@tensorflow/tfjs-core';

/**
 * True when a gradient tape is recording, so a loss's forward pass should compute its gradient
 * too. Reads engine internals: if they ever change, this answers true and the gradient is computed
 * eagerly, which is still correct.
 */
export function tapeIsRecording(): boolean {
  const state = (engine() as unknown as { state?: { gradientDepth?: unknown } }).state;
  return typeof state?.gradientDepth !== 'number' || state.gradientDepth > 0;
}

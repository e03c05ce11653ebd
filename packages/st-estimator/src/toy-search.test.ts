import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { toySearch } from '../examples/toy-search';

describe("the README's toy search", () => {
  it('finds the dense op for a dense target, for several seeds, without a per-step leak', () => {
    // TF.js 4.22's Adam leaves one tensor per used optimizer after dispose(); the search itself
    // must add nothing per step, so a 150-step search leaves what a 3-step one does.
    let before = tf.memory().numTensors;
    toySearch(9, 3);
    const fixed = tf.memory().numTensors - before;
    expect(fixed).toBeLessThanOrEqual(2);
    for (const seed of [0, 1, 2]) {
      before = tf.memory().numTensors;
      const { chosen, probs } = toySearch(seed);
      expect(chosen, `seed ${seed}: probs ${probs}`).toBe('dense');
      expect(probs[0]!).toBeGreaterThan(0.9);
      expect(tf.memory().numTensors - before).toBe(fixed);
    }
  });

  it('is the code the README shows', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('../examples/toy-search.ts', import.meta.url), 'utf8');
    expect(readme).toContain(example.trim());
  });
});

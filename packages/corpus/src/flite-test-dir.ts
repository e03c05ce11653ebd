import path from 'node:path';
import { corpusDir } from './corpus-paths';

/**
 * Absolute path of `data/test_flite`, an evaluation-only Kaldi data dir: the test sentences spoken by
 * four Debian flite voices (another synthesiser than the training data's eSpeak NG); never train on it.
 */
export function fliteTestDir(): string {
  return path.join(corpusDir(), 'test_flite');
}

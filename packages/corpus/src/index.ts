export type { CorpusSplit, CorpusSplits } from './corpus-paths';
export { corpusDir, corpusSplits, lexiconPath, unitsPath } from './corpus-paths';
export { fliteTestDir } from './flite-test-dir';

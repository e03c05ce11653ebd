export { accCmvnStats, computeCmvnStats } from './cmvn-stats';
export type { FbankOptions } from './fbank';
export { fbank } from './fbank';
export { fbankConfLines, parseFbankConf, readFbankConf } from './fbank-conf';
export type { FrameOptions, WindowType } from './feature-window';
export { readLibriSpeech } from './librispeech-source';
export type { MelOptions } from './mel-banks';
export type { MfccOptions } from './mfcc';
export { mfcc } from './mfcc';
export { perturbSpeed } from './perturb-speed';
export {
  type AudioSource,
  type PrepareDataDirOptions,
  type PrepareSummary,
  prepareDataDir,
  readAudioSource,
  resolveFbankConfig,
} from './prepare-data-dir';
export { readAudio } from './read-audio';
export { readFlac } from './read-flac';
export type { ReadWavOptions, Wav } from './read-wav';
export { readWav } from './read-wav';
export type { ResampleOptions } from './resample';
export { resample } from './resample';
export {
  type SpeedPerturbDataDirOptions,
  type SpeedPerturbSummary,
  speedPerturbDataDir,
  speedPrefix,
} from './speed-perturb-data-dir';

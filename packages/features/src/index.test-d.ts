// Pins the public signatures of @stnas/features (src/index.ts): an accidental change to a parameter,
// a return type or a field fails `vitest` (typecheck). New exports and new fields do not.
import type { Matrix, TableLine } from '@stnas/data-wsj';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type AudioSource,
  accCmvnStats,
  computeCmvnStats,
  type FbankOptions,
  type FrameOptions,
  fbank,
  fbankConfLines,
  type MelOptions,
  type MfccOptions,
  mfcc,
  type PrepareDataDirOptions,
  type PrepareSummary,
  parseFbankConf,
  perturbSpeed,
  prepareDataDir,
  type ReadWavOptions,
  type ResampleOptions,
  readAudio,
  readAudioSource,
  readFbankConf,
  readFlac,
  readLibriSpeech,
  readWav,
  resample,
  resolveFbankConfig,
  type SpeedPerturbDataDirOptions,
  type SpeedPerturbSummary,
  speedPerturbDataDir,
  speedPrefix,
  type Wav,
  type WindowType,
} from './index';

describe('@stnas/features public API', () => {
  it('accCmvnStats', () => {
    expectTypeOf(accCmvnStats).toEqualTypeOf<
      (stats: Float64Array<ArrayBufferLike>, m: Matrix, what?: string) => void
    >();
  });
  it('computeCmvnStats', () => {
    expectTypeOf(computeCmvnStats).toEqualTypeOf<(feats: Matrix | Iterable<Matrix>) => Matrix>();
  });
  it('FbankOptions', () => {
    expectTypeOf<FbankOptions>().toExtend<FrameOptions>();
    expectTypeOf<FbankOptions>().toExtend<MelOptions>();
    expectTypeOf<FbankOptions['useEnergy']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<FbankOptions['useLogFbank']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<FbankOptions['usePower']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<FbankOptions['rawEnergy']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<FbankOptions['htkCompat']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<FbankOptions['energyFloor']>().toEqualTypeOf<number | undefined>();
  });
  it('fbank', () => {
    expectTypeOf(fbank).toEqualTypeOf<(samples: ArrayLike<number>, options?: FbankOptions) => Matrix>();
  });
  it('fbankConfLines', () => {
    expectTypeOf(fbankConfLines).toEqualTypeOf<(o: FbankOptions) => string[]>();
  });
  it('parseFbankConf', () => {
    expectTypeOf(parseFbankConf).toEqualTypeOf<(text: string, file?: string) => FbankOptions>();
  });
  it('readFbankConf', () => {
    expectTypeOf(readFbankConf).toEqualTypeOf<(file: string) => FbankOptions>();
  });
  it('FrameOptions', () => {
    expectTypeOf<FrameOptions['sampleFrequency']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<FrameOptions['frameLength']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<FrameOptions['frameShift']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<FrameOptions['preemphCoeff']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<FrameOptions['removeDcOffset']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<FrameOptions['windowType']>().toEqualTypeOf<WindowType | undefined>();
    expectTypeOf<FrameOptions['blackmanCoeff']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<FrameOptions['snipEdges']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<FrameOptions['roundToPowerOfTwo']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<FrameOptions['dither']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<FrameOptions['seed']>().toEqualTypeOf<number | undefined>();
  });
  it('WindowType', () => {
    expectTypeOf<WindowType>().toEqualTypeOf<
      'povey' | 'hamming' | 'hanning' | 'rectangular' | 'blackman' | 'sine'
    >();
  });
  it('readLibriSpeech', () => {
    expectTypeOf(readLibriSpeech).toEqualTypeOf<(src: string) => Promise<AudioSource>>();
  });
  it('MelOptions', () => {
    expectTypeOf<MelOptions['numMelBins']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<MelOptions['lowFreq']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<MelOptions['highFreq']>().toEqualTypeOf<number | undefined>();
  });
  it('MfccOptions', () => {
    expectTypeOf<MfccOptions>().toExtend<FrameOptions>();
    expectTypeOf<MfccOptions>().toExtend<MelOptions>();
    expectTypeOf<MfccOptions['numCeps']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<MfccOptions['useEnergy']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<MfccOptions['rawEnergy']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<MfccOptions['htkCompat']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<MfccOptions['energyFloor']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<MfccOptions['cepstralLifter']>().toEqualTypeOf<number | undefined>();
  });
  it('mfcc', () => {
    expectTypeOf(mfcc).toEqualTypeOf<(samples: ArrayLike<number>, options?: MfccOptions) => Matrix>();
  });
  it('perturbSpeed', () => {
    expectTypeOf(perturbSpeed).toEqualTypeOf<
      (samples: ArrayLike<number>, factor: number, options?: ResampleOptions) => Float32Array<ArrayBufferLike>
    >();
  });
  it('AudioSource', () => {
    expectTypeOf<AudioSource['baseDir']>().toEqualTypeOf<string>();
    expectTypeOf<AudioSource['wavScpName']>().toEqualTypeOf<string>();
    expectTypeOf<AudioSource['generated']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<AudioSource['wav']>().toEqualTypeOf<TableLine[]>();
    expectTypeOf<AudioSource['utt2spk']>().toEqualTypeOf<Map<string, string>>();
    expectTypeOf<AudioSource['text']>().toEqualTypeOf<Map<string, string> | undefined>();
    expectTypeOf<AudioSource['textName']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<AudioSource['spk2gender']>().toEqualTypeOf<Map<string, string> | undefined>();
  });
  it('PrepareDataDirOptions', () => {
    expectTypeOf<PrepareDataDirOptions['data']>().toEqualTypeOf<string | AudioSource>();
    expectTypeOf<PrepareDataDirOptions['out']>().toEqualTypeOf<string>();
    expectTypeOf<PrepareDataDirOptions['fbankConfig']>().toEqualTypeOf<string | FbankOptions | undefined>();
    expectTypeOf<PrepareDataDirOptions['compress']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<PrepareDataDirOptions['allowPipes']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<PrepareDataDirOptions['workers']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PrepareDataDirOptions['seed']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PrepareDataDirOptions['shardUtterances']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PrepareDataDirOptions['onProgress']>().toEqualTypeOf<
      ((done: number, total: number, frames: number) => void) | undefined
    >();
    expectTypeOf<PrepareDataDirOptions['log']>().toEqualTypeOf<((line: string) => void) | undefined>();
  });
  it('PrepareSummary', () => {
    expectTypeOf<PrepareSummary['out']>().toEqualTypeOf<string>();
    expectTypeOf<PrepareSummary['utterances']>().toEqualTypeOf<number>();
    expectTypeOf<PrepareSummary['speakers']>().toEqualTypeOf<number>();
    expectTypeOf<PrepareSummary['frames']>().toEqualTypeOf<number>();
    expectTypeOf<PrepareSummary['seconds']>().toEqualTypeOf<number>();
    expectTypeOf<PrepareSummary['fbank']>().toEqualTypeOf<FbankOptions>();
    expectTypeOf<PrepareSummary['upToDate']>().toEqualTypeOf<boolean>();
    expectTypeOf<PrepareSummary['computed']>().toEqualTypeOf<number>();
  });
  it('prepareDataDir', () => {
    expectTypeOf(prepareDataDir).toEqualTypeOf<(opts: PrepareDataDirOptions) => Promise<PrepareSummary>>();
  });
  it('readAudioSource', () => {
    expectTypeOf(readAudioSource).toEqualTypeOf<(dir: string) => Promise<AudioSource>>();
  });
  it('resolveFbankConfig', () => {
    expectTypeOf(resolveFbankConfig).toEqualTypeOf<
      (data: string | undefined, config: string | FbankOptions | undefined) => FbankOptions
    >();
  });
  it('readAudio', () => {
    expectTypeOf(readAudio).toEqualTypeOf<
      (pathOrBuffer: string | Uint8Array<ArrayBufferLike>, options?: ReadWavOptions) => Promise<Wav>
    >();
  });
  it('readFlac', () => {
    expectTypeOf(readFlac).toEqualTypeOf<
      (pathOrBuffer: string | Uint8Array<ArrayBufferLike>, options?: ReadWavOptions) => Promise<Wav>
    >();
  });
  it('ReadWavOptions', () => {
    expectTypeOf<ReadWavOptions['channel']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ReadWavOptions['scale']>().toEqualTypeOf<'int16' | 'unit' | undefined>();
  });
  it('Wav', () => {
    expectTypeOf<Wav['sampleRate']>().toEqualTypeOf<number>();
    expectTypeOf<Wav['numChannels']>().toEqualTypeOf<number>();
    expectTypeOf<Wav['channel']>().toEqualTypeOf<number>();
    expectTypeOf<Wav['bitsPerSample']>().toEqualTypeOf<number>();
    expectTypeOf<Wav['format']>().toEqualTypeOf<'pcm' | 'float'>();
    expectTypeOf<Wav['samples']>().toEqualTypeOf<Float32Array<ArrayBufferLike>>();
  });
  it('readWav', () => {
    expectTypeOf(readWav).toEqualTypeOf<
      (pathOrBuffer: string | Uint8Array<ArrayBufferLike>, options?: ReadWavOptions) => Wav
    >();
  });
  it('ResampleOptions', () => {
    expectTypeOf<ResampleOptions['lowpassFilterWidth']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ResampleOptions['rolloff']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ResampleOptions['beta']>().toEqualTypeOf<number | undefined>();
  });
  it('resample', () => {
    expectTypeOf(resample).toEqualTypeOf<
      (
        samples: ArrayLike<number>,
        fromRate: number,
        toRate: number,
        options?: ResampleOptions,
      ) => Float32Array<ArrayBufferLike>
    >();
  });
  it('SpeedPerturbDataDirOptions', () => {
    expectTypeOf<SpeedPerturbDataDirOptions['data']>().toEqualTypeOf<string>();
    expectTypeOf<SpeedPerturbDataDirOptions['out']>().toEqualTypeOf<string>();
    expectTypeOf<SpeedPerturbDataDirOptions['factors']>().toEqualTypeOf<number[] | undefined>();
    expectTypeOf<SpeedPerturbDataDirOptions['fbankConfig']>().toEqualTypeOf<
      string | FbankOptions | undefined
    >();
    expectTypeOf<SpeedPerturbDataDirOptions['allowPipes']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<SpeedPerturbDataDirOptions['seed']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SpeedPerturbDataDirOptions['log']>().toEqualTypeOf<((line: string) => void) | undefined>();
  });
  it('SpeedPerturbSummary', () => {
    expectTypeOf<SpeedPerturbSummary['utterances']>().toEqualTypeOf<number>();
    expectTypeOf<SpeedPerturbSummary['speakers']>().toEqualTypeOf<number>();
    expectTypeOf<SpeedPerturbSummary['frames']>().toEqualTypeOf<number>();
    expectTypeOf<SpeedPerturbSummary['seconds']>().toEqualTypeOf<number>();
    expectTypeOf<SpeedPerturbSummary['fbank']>().toEqualTypeOf<FbankOptions>();
  });
  it('speedPerturbDataDir', () => {
    expectTypeOf(speedPerturbDataDir).toEqualTypeOf<
      (opts: SpeedPerturbDataDirOptions) => Promise<SpeedPerturbSummary>
    >();
  });
  it('speedPrefix', () => {
    expectTypeOf(speedPrefix).toEqualTypeOf<(factor: number) => string>();
  });
});

// FLAC decoding through @wasm-audio-decoders/flac (libFLAC compiled to wasm, no download at install).
// The decoder returns floats; FLAC samples are integers, so they are recovered exactly by rounding and
// put on the same scale as readWav's. STREAMINFO (FLAC format spec, "METADATA_BLOCK_STREAMINFO") is
// parsed here to check the rate, the channel count and that no samples are missing (truncated files).
import { readFile } from 'node:fs/promises';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { splitFlacFrames } from './flac-frames';
import type { ReadWavOptions, Wav } from './read-wav';

/** The fields of a FLAC file's STREAMINFO block that matter here. */
interface StreamInfo {
  sampleRate: number;
  numChannels: number;
  bitsPerSample: number;
  /** 0 when the encoder did not know it. */
  totalSamples: number;
  /** The largest block (frame) size in samples. */
  maxBlockSize: number;
}

function parseStreamInfo(bytes: Uint8Array, fail: (msg: string) => never): StreamInfo {
  if (bytes.length < 42) fail(`file is ${bytes.length} bytes, too short for a FLAC header (42 bytes)`);
  const magic = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
  if (magic !== 'fLaC') fail(`expected "fLaC" at byte 0, found ${JSON.stringify(magic)}`);
  if ((bytes[4]! & 0x7f) !== 0)
    fail(`the first metadata block is type ${bytes[4]! & 0x7f}, expected STREAMINFO (0)`);
  const b = (i: number) => bytes[8 + i]!;
  // STREAMINFO bytes 10..17: rate (20 bits), channels - 1 (3), bits - 1 (5), total samples (36)
  const sampleRate = (b(10) << 12) | (b(11) << 4) | (b(12) >> 4);
  const numChannels = ((b(12) >> 1) & 7) + 1;
  const bitsPerSample = (((b(12) & 1) << 4) | (b(13) >> 4)) + 1;
  const totalSamples =
    (b(13) & 0x0f) * 2 ** 32 + ((b(14) << 24) >>> 0) + (b(15) << 16) + (b(16) << 8) + b(17);
  const maxBlockSize = (b(2) << 8) | b(3);
  return { sampleRate, numChannels, bitsPerSample, totalSamples, maxBlockSize };
}

let decoder: FLACDecoder | undefined;
let decoderStream = ''; // the block size, rate, channels and bits of the files it has decoded
let queue: Promise<unknown> = Promise.resolve();

// One decoder serves every file through decodeFrames (no per-file reset, see flac-frames.ts) when
// the file splits into frames that decode to exactly the samples STREAMINFO declares. Otherwise
// (unknown length, truncated or corrupt data, a false frame boundary) that decoder may hold part
// of a frame, so it is dropped; when a fresh one fails too, the library's decodeFile, which parses
// and checks the file itself and resets after, gives the result or the error. Calls are serialised.
function decodeFlac(bytes: Uint8Array, info: StreamInfo) {
  const { totalSamples } = info;
  const stream = `${info.maxBlockSize} ${info.sampleRate} ${info.numChannels} ${info.bitsPerSample}`;
  const run = queue.then(async () => {
    // libFLAC reports (and the library prints) a missing frame when the block size differs from
    // the previous file's, so a file of another kind starts a fresh decoder.
    if (decoder && stream !== decoderStream) {
      decoder.free();
      decoder = undefined;
    }
    decoderStream = stream;
    decoder ??= new FLACDecoder();
    await decoder.ready;
    const frames = totalSamples > 0 ? splitFlacFrames(bytes) : undefined;
    // A second try on a fresh decoder in case the first was left in a bad state.
    for (let attempt = 0; frames && attempt < 2; attempt++) {
      const fast = await decoder.decodeFrames(frames);
      if (fast.errors.length === 0 && fast.samplesDecoded === totalSamples) return fast;
      decoder.free();
      decoder = new FLACDecoder();
      await decoder.ready;
    }
    return decoder.decodeFile(bytes);
  });
  queue = run.catch(() => {});
  return run;
}

/**
 * Decodes a FLAC file (path or bytes) to one channel of samples, on the int16 scale by default as
 * {@link readWav} (`scale: 'unit'` for [-1, 1)). A corrupt or truncated file is an error naming the
 * file and saying how many samples are missing.
 */
export async function readFlac(
  pathOrBuffer: string | Uint8Array,
  options: ReadWavOptions = {},
): Promise<Wav> {
  const name = typeof pathOrBuffer === 'string' ? pathOrBuffer : '<buffer>';
  const fail = (msg: string): never => {
    throw new Error(`readFlac: ${name}: ${msg}`);
  };
  const bytes = typeof pathOrBuffer === 'string' ? await readFile(pathOrBuffer) : pathOrBuffer;
  const info = parseStreamInfo(bytes, fail);
  if (info.sampleRate < 1) fail('STREAMINFO declares a sample rate of 0');
  const channel = options.channel ?? (info.numChannels === 1 ? 0 : -1);
  if (channel === -1) fail(`has ${info.numChannels} channels; choose one with the "channel" option`);
  if (!Number.isInteger(channel) || channel < 0 || channel >= info.numChannels)
    fail(`channel ${channel} does not exist; the file has ${info.numChannels} channel(s)`);
  const decoded = await decodeFlac(bytes, info);
  if (decoded.errors.length > 0) fail(`corrupt FLAC data: ${decoded.errors[0]!.message}`);
  if (info.totalSamples > 0 && decoded.samplesDecoded !== info.totalSamples)
    fail(
      `STREAMINFO declares ${info.totalSamples} samples but only ${decoded.samplesDecoded} decode (truncated file)`,
    );
  if (info.totalSamples === 0 && decoded.samplesDecoded === 0) fail('no audio frames decode');
  const src = decoded.channelData[channel];
  if (!src) return fail(`decoded ${decoded.channelData.length} channels, expected ${info.numChannels}`);
  // The decoder divides by 2^(bits-1) - 1; rounding recovers the integer sample exactly.
  const full = 2 ** (info.bitsPerSample - 1);
  const k = full - 1;
  const scale = options.scale === 'unit' ? 1 / full : 32768 / full;
  const samples = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) samples[i] = Math.round(src[i]! * k) * scale;
  return {
    sampleRate: info.sampleRate,
    numChannels: info.numChannels,
    channel,
    bitsPerSample: info.bitsPerSample,
    format: 'pcm',
    samples,
  };
}

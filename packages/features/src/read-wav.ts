import { readFileSync } from 'node:fs';

/** Options of {@link readWav}. */
export interface ReadWavOptions {
  /** Channel to return (0-based). Required when the file has more than one channel. */
  channel?: number;
  /**
   * Sample scale: `'int16'` (default) returns values on the 16-bit integer scale (−32768..32767),
   * which is what Kaldi's feature extractors see; `'unit'` returns values in [−1, 1).
   */
  scale?: 'int16' | 'unit';
}

/** A decoded WAV file: one channel of samples and the header fields that matter. */
export interface Wav {
  /** Samples per second. */
  sampleRate: number;
  /** Number of channels in the file (only `channel` is returned). */
  numChannels: number;
  /** The channel that `samples` holds. */
  channel: number;
  /** Bits per sample in the file: 16, 24 or 32. */
  bitsPerSample: number;
  /** Sample encoding in the file. */
  format: 'pcm' | 'float';
  /** The chosen channel, scaled as `ReadWavOptions.scale` says. */
  samples: Float32Array;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/**
 * Reads a RIFF/WAVE file of PCM 16/24/32-bit or IEEE 32-bit float samples, at any rate, and returns
 * one channel. Compressed formats, truncated chunks and data past the end of the file are errors
 * that name the file and the offending field (format: Kaldi `feat/wave-reader.cc`, Microsoft RIFF).
 */
export function readWav(pathOrBuffer: string | Uint8Array, options: ReadWavOptions = {}): Wav {
  const name = typeof pathOrBuffer === 'string' ? pathOrBuffer : '<buffer>';
  const bytes = typeof pathOrBuffer === 'string' ? readFileSync(pathOrBuffer) : pathOrBuffer;
  const fail = (msg: string): never => {
    throw new Error(`readWav: ${name}: ${msg}`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
  if (bytes.length < 12) fail(`file is ${bytes.length} bytes, too short for a RIFF header (12 bytes)`);
  if (tag(0) !== 'RIFF') fail(`expected "RIFF" at byte 0, found ${JSON.stringify(tag(0))}`);
  if (tag(8) !== 'WAVE') fail(`expected "WAVE" at byte 8, found ${JSON.stringify(tag(8))}`);

  let fmt: {
    format: number;
    numChannels: number;
    sampleRate: number;
    blockAlign: number;
    bits: number;
  } | null = null;
  let pos = 12;
  while (pos + 8 <= bytes.length) {
    const id = tag(pos);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16) fail(`"fmt " chunk at byte ${pos} is ${size} bytes, expected at least 16`);
      if (body + size > bytes.length) fail(`"fmt " chunk at byte ${pos} runs past the end of the file`);
      let format = view.getUint16(body, true);
      if (format === WAVE_FORMAT_EXTENSIBLE) {
        if (size < 40) fail(`WAVE_FORMAT_EXTENSIBLE "fmt " chunk is ${size} bytes, expected 40`);
        format = view.getUint16(body + 24, true); // first two bytes of the SubFormat GUID
      }
      fmt = {
        format,
        numChannels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        blockAlign: view.getUint16(body + 12, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!fmt) fail(`"data" chunk at byte ${pos} comes before any "fmt " chunk`);
      const f = fmt!;
      if (body + size > bytes.length) {
        fail(
          `"data" chunk at byte ${pos} declares ${size} bytes but only ${bytes.length - body} remain (truncated file)`,
        );
      }
      return decode(f, bytes.subarray(body, body + size), options, fail);
    }
    pos = body + size + (size & 1); // chunks are padded to an even size
  }
  if (pos < bytes.length) fail(`truncated chunk header at byte ${pos}`);
  return fail(fmt ? 'no "data" chunk' : 'no "fmt " chunk');
}

function decode(
  fmt: { format: number; numChannels: number; sampleRate: number; blockAlign: number; bits: number },
  data: Uint8Array,
  options: ReadWavOptions,
  fail: (msg: string) => never,
): Wav {
  const { format, numChannels, sampleRate, bits } = fmt;
  const isFloat = format === WAVE_FORMAT_IEEE_FLOAT;
  if (format !== WAVE_FORMAT_PCM && !isFloat) {
    fail(`unsupported format tag ${format} (compressed audio); expected PCM (1) or IEEE float (3)`);
  }
  if (isFloat ? bits !== 32 : bits !== 16 && bits !== 24 && bits !== 32) {
    fail(`unsupported ${bits}-bit ${isFloat ? 'float' : 'PCM'}; expected PCM 16/24/32-bit or float 32-bit`);
  }
  if (numChannels < 1) fail('"fmt " declares 0 channels');
  if (sampleRate < 1) fail('"fmt " declares a sample rate of 0');
  const width = bits / 8;
  if (fmt.blockAlign !== width * numChannels) {
    fail(`block align ${fmt.blockAlign} does not match ${numChannels} channels of ${bits} bits`);
  }
  const channel = options.channel ?? (numChannels === 1 ? 0 : -1);
  if (channel === -1) fail(`has ${numChannels} channels; choose one with the "channel" option`);
  if (!Number.isInteger(channel) || channel < 0 || channel >= numChannels) {
    fail(`channel ${channel} does not exist; the file has ${numChannels} channel(s)`);
  }
  if (data.length % fmt.blockAlign !== 0) {
    fail(`data size ${data.length} is not a multiple of the block size ${fmt.blockAlign} (truncated frame)`);
  }
  const n = data.length / fmt.blockAlign;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new Float32Array(n);
  const unit = options.scale === 'unit';
  let at = channel * width;
  const step = fmt.blockAlign;
  if (isFloat) {
    const k = unit ? 1 : 32768;
    for (let i = 0; i < n; i++, at += step) out[i] = view.getFloat32(at, true) * k;
  } else if (bits === 16) {
    const k = unit ? 1 / 32768 : 1;
    for (let i = 0; i < n; i++, at += step) out[i] = view.getInt16(at, true) * k;
  } else if (bits === 24) {
    const k = unit ? 1 / 8388608 : 1 / 256;
    for (let i = 0; i < n; i++, at += step) {
      const v = data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16);
      out[i] = ((v << 8) >> 8) * k; // sign-extend 24 bits
    }
  } else {
    const k = unit ? 1 / 2147483648 : 1 / 65536;
    for (let i = 0; i < n; i++, at += step) out[i] = view.getInt32(at, true) * k;
  }
  return {
    sampleRate,
    numChannels,
    channel,
    bitsPerSample: bits,
    format: isFloat ? 'float' : 'pcm',
    samples: out,
  };
}

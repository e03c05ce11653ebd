// Splits a FLAC file into its audio frames (FLAC format spec, "FRAME_HEADER"), so one libFLAC
// decoder can decode file after file through `decodeFrames` instead of `decodeFile`, which resets
// the decoder (a new wasm instance and heap) after every file: that reset was half of the decode
// time. A frame starts with the sync code 0xFFF8 (fixed block size) or 0xFFF9 (variable) and a
// header whose CRC-8 matches, and ends with the CRC-16 of the whole frame; a boundary is taken only
// where both match, as the library's own parser (codec-parser) does, so the sync code turning up
// inside the audio data (about one file in a hundred) does not split a frame.

// CRC-8, polynomial x^8 + x^2 + x + 1 (0x07), initialised with 0 (FLAC spec, "FRAME_HEADER").
const CRC8 = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
  CRC8[i] = c;
}

// CRC-16, polynomial x^16 + x^15 + x^2 + 1 (0x8005), initialised with 0, over a whole frame; run
// over the frame and its own CRC-16 it gives 0.
const CRC16 = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c = i << 8;
  for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x8005) & 0xffff : (c << 1) & 0xffff;
  CRC16[i] = c;
}

/** The byte after the metadata blocks (where the first frame starts), or -1 when they run past the end. */
export function flacAudioOffset(bytes: Uint8Array): number {
  let p = 4; // after "fLaC"
  for (;;) {
    if (p + 4 > bytes.length) return -1;
    const last = bytes[p]! & 0x80;
    const length = (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!;
    p += 4 + length;
    if (last) return p <= bytes.length ? p : -1;
  }
}

/** True when a valid frame header with the sync byte `sync` (0xF8 or 0xF9) starts at `p`. */
function isFrameHeader(bytes: Uint8Array, p: number, sync: number): boolean {
  const n = bytes.length;
  if (p + 5 > n || bytes[p] !== 0xff || bytes[p + 1] !== sync) return false;
  const blockCode = bytes[p + 2]! >> 4;
  const rateCode = bytes[p + 2]! & 0x0f;
  const channels = bytes[p + 3]! >> 4;
  if (blockCode === 0 || rateCode === 15 || channels > 10 || (bytes[p + 3]! & 1) !== 0) return false;
  // the frame or sample number, UTF-8 coded in 1 to 7 bytes
  let q = p + 4;
  const lead = bytes[q]!;
  let extra = 0;
  if (lead >= 0x80) {
    if (lead === 0xff || (lead & 0xc0) === 0x80) return false;
    for (let m = 0x40; lead & m; m >>= 1) extra++;
  }
  q++;
  for (let k = 0; k < extra; k++, q++) if (q >= n || (bytes[q]! & 0xc0) !== 0x80) return false;
  if (blockCode === 6) q += 1;
  else if (blockCode === 7) q += 2;
  if (rateCode === 12) q += 1;
  else if (rateCode === 13 || rateCode === 14) q += 2;
  if (q >= n) return false;
  let crc = 0;
  for (let i = p; i < q; i++) crc = CRC8[crc ^ bytes[i]!]!;
  return crc === bytes[q];
}

/**
 * The audio frames of a FLAC file as views into `bytes`, or undefined when the first frame header
 * is not where the metadata ends (then let the library's own parser deal with the file).
 */
export function splitFlacFrames(bytes: Uint8Array): Uint8Array[] | undefined {
  const start = flacAudioOffset(bytes);
  if (start < 0 || start + 2 > bytes.length) return undefined;
  const sync = bytes[start + 1]!;
  if ((sync !== 0xf8 && sync !== 0xf9) || !isFrameHeader(bytes, start, sync)) return undefined;
  const frames: Uint8Array[] = [];
  let begin = start;
  let crc = 0; // CRC-16 of bytes[begin, p)
  for (let p = start; p + 1 < bytes.length; p++) {
    // the smallest frame is a header (6 bytes at least), one subframe byte and the CRC-16
    if (
      crc === 0 &&
      p >= begin + 9 &&
      bytes[p] === 0xff &&
      bytes[p + 1] === sync &&
      isFrameHeader(bytes, p, sync)
    ) {
      frames.push(bytes.subarray(begin, p));
      begin = p;
    }
    crc = ((crc << 8) & 0xffff) ^ CRC16[(crc >> 8) ^ bytes[p]!]!;
  }
  frames.push(bytes.subarray(begin));
  return frames;
}

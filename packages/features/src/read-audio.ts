import { readFile } from 'node:fs/promises';
import { readFlac } from './read-flac';
import { type ReadWavOptions, readWav, type Wav } from './read-wav';

/**
 * Reads a WAV or FLAC file (path or bytes), told apart by their first four bytes (`RIFF`, `fLaC`),
 * as one channel of samples on the int16 scale by default (see {@link readWav}, {@link readFlac}).
 * Anything else is an error naming the file and the bytes it found.
 */
export async function readAudio(
  pathOrBuffer: string | Uint8Array,
  options: ReadWavOptions = {},
): Promise<Wav> {
  const name = typeof pathOrBuffer === 'string' ? pathOrBuffer : '<buffer>';
  const bytes = typeof pathOrBuffer === 'string' ? await readFile(pathOrBuffer) : pathOrBuffer;
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic === 'fLaC') return readFlac(bytes, options).catch((e: Error) => rename(e, name));
  if (magic === 'RIFF') {
    try {
      return readWav(bytes, options);
    } catch (e) {
      throw rename(e as Error, name);
    }
  }
  throw new Error(
    `readAudio: ${name}: expected a WAV ("RIFF") or FLAC ("fLaC") file, found ${JSON.stringify(magic)} at byte 0` +
      (bytes.length < 4 ? ` (the file is ${bytes.length} bytes)` : ''),
  );
}

// Errors from the buffer readers say `<buffer>`; name the file instead.
function rename(e: Error, name: string): never {
  throw new Error(e.message.replace('<buffer>', name));
}

/** A malformed Kaldi file: names the file, the byte offset (or line) and what was expected. */
export class KaldiFormatError extends Error {
  override name = 'KaldiFormatError';
  /** The file (or command) being read. */
  readonly file: string;
  /** Absolute byte offset in the file where the problem was found, if known. */
  readonly offset: number | undefined;
  /** What the reader expected to find there. */
  readonly expected: string;

  constructor(file: string, offset: number | undefined, expected: string, found?: string) {
    const where = offset === undefined ? file : `${file}: byte ${offset}`;
    super(`${where}: expected ${expected}${found === undefined ? '' : `, found ${found}`}`);
    this.file = file;
    this.offset = offset;
    this.expected = expected;
  }
}

/** Shows up to 16 bytes readably for an error message. */
export function showBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'end of file';
  const s = Array.from(bytes.subarray(0, 16), (b) =>
    b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`,
  ).join('');
  return JSON.stringify(s) + (bytes.length > 16 ? '...' : '');
}

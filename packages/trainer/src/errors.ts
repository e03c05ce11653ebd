/** A usage error (bad or missing argument): printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Bad input: a missing file, a malformed data dir or checkpoint. Printed as one line naming the
 * file (and line or utterance when known) and what was expected; exit code 4.
 */
export class InputError extends Error {
  override name = 'InputError';
}

/** Exit codes of the `stnas` command. */
export const EXIT = { ok: 0, failure: 1, usage: 2, backend: 3, input: 4, queue: 5 } as const;

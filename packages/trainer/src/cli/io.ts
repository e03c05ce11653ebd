/** Where the CLI writes; tests pass their own to capture output. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Progress output (a TTY gets a redrawn bar); default stderr. */
  progress?: { write: (text: string) => void; isTTY: boolean; columns?: number };
}

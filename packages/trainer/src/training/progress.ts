/** Where progress goes: a stream-like writer and whether it is a terminal. */
export interface ProgressSink {
  write: (text: string) => void;
  isTTY: boolean;
  /** Terminal width (TTY only; default 80). */
  columns?: number;
}

/** One progress update. */
export interface ProgressUpdate {
  /** Steps done so far in this run of the bar (out of `total`). */
  done: number;
  /** Frames processed since the bar started (for frames/s). */
  frames: number;
  /** The latest loss, if any. */
  loss?: number;
}

/** A progress reporter: a redrawn bar on a terminal, plain lines otherwise. */
export interface Progress {
  update(u: ProgressUpdate): void;
  /** Ends the bar (a newline on a terminal, a final line otherwise). */
  finish(message?: string): void;
}

/** Formats seconds as `m:ss` or `h:mm:ss`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The text of one progress report (shared by both modes): counts, frames/s, loss and ETA. */
export function progressText(label: string, total: number, u: ProgressUpdate, elapsedSec: number): string {
  const fps = elapsedSec > 0 ? u.frames / elapsedSec : 0;
  const eta = u.done > 0 ? (elapsedSec / u.done) * (total - u.done) : Number.NaN;
  const loss =
    u.loss === undefined ? '' : ` loss ${Number.isFinite(u.loss) ? u.loss.toFixed(3) : String(u.loss)}`;
  return `${label} ${u.done}/${total} ${Math.round(fps)} frames/s${loss} ETA ${formatDuration(eta)}`;
}

/**
 * Creates a progress reporter for `total` steps. On a TTY it redraws one line (`\r`) with a bar at
 * most 10 times a second; otherwise it prints a plain line about every `every` steps and at the end,
 * so logs stay readable when piped. `now` is injectable for tests (milliseconds).
 */
export function createProgress(
  label: string,
  total: number,
  sink: ProgressSink,
  options: { every?: number; now?: () => number } = {},
): Progress {
  const now = options.now ?? (() => performance.now());
  const every = options.every ?? Math.max(1, Math.ceil(total / 10));
  const t0 = now();
  let lastDraw = -Infinity;
  let last: ProgressUpdate = { done: 0, frames: 0 };
  let lastLine = 0;
  const elapsed = () => (now() - t0) / 1000;
  return {
    update(u) {
      last = u;
      if (sink.isTTY) {
        const t = now();
        if (t - lastDraw < 100 && u.done < total) return;
        lastDraw = t;
        const text = progressText(label, total, u, elapsed());
        const width = Math.max(10, Math.min(30, (sink.columns ?? 80) - text.length - 4));
        const filled = total > 0 ? Math.round((width * Math.min(u.done, total)) / total) : width;
        sink.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\x1b[K`);
      } else if (u.done - lastLine >= every || u.done === total) {
        if (u.done === lastLine) return;
        lastLine = u.done;
        sink.write(`${progressText(label, total, u, elapsed())}\n`);
      }
    },
    finish(message) {
      if (sink.isTTY) sink.write(`\r${progressText(label, total, last, elapsed())}\x1b[K\n`);
      else if (last.done !== lastLine) sink.write(`${progressText(label, total, last, elapsed())}\n`);
      if (message) sink.write(`${message}\n`);
    },
  };
}

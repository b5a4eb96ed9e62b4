import type { CliIo } from '../cli/CliIo.js';

/** Progress on stderr: one line rewritten in place on a terminal, plain lines otherwise. */
export interface Progress {
  /** Shows a new status message. */
  update(message: string): void;
  /** Clears the in-place line (on a terminal) so that what follows starts on a clean line. Safe to call twice. */
  done(): void;
}

export interface ProgressOptions {
  /** Prefix of every line, e.g. the elapsed time and query count; called at each render. Default none. */
  status?: () => string;
  /** On a terminal, re-render every this many ms even without a new message (so counts keep moving). Default 500; 0 disables. */
  refreshMs?: number;
}

export function createProgress(io: CliIo, options: ProgressOptions = {}): Progress {
  const status = options.status ?? (() => '');
  const refreshMs = options.refreshMs ?? 500;
  let last = '';
  let finished = false;
  const render = (): string => {
    const prefix = status();
    const line = prefix === '' ? last : `${prefix}  ${last}`;
    // A line longer than the terminal wraps, and '\r' would then redraw only its last part.
    const width = io.stderrColumns;
    return io.stderrIsTTY && width !== undefined && line.length >= width ? `${line.slice(0, Math.max(0, width - 2))}…` : line;
  };
  let timer: NodeJS.Timeout | undefined;
  if (io.stderrIsTTY && refreshMs > 0) {
    timer = setInterval(() => io.stderr(`\r\x1b[K${render()}`), refreshMs);
    timer.unref();
  }
  return {
    update(message: string): void {
      if (finished) return;
      last = message;
      io.stderr(io.stderrIsTTY ? `\r\x1b[K${render()}` : `${render()}\n`);
    },
    done(): void {
      if (finished) return;
      finished = true;
      if (timer !== undefined) clearInterval(timer);
      if (io.stderrIsTTY && last !== '') io.stderr('\r\x1b[K');
    },
  };
}

/** Where a command writes, and the clock it reads: passed to every command so tests and the demo can run them in-process. */
export interface CliIo {
  /** Results: summaries, reports, the oracle URL. */
  readonly stdout: (text: string) => void;
  /** Progress lines and error messages. */
  readonly stderr: (text: string) => void;
  /** True when stderr is a terminal: progress then updates one line in place. */
  readonly stderrIsTTY: boolean;
  /** Width of the stderr terminal in columns (the in-place line is cut to fit); undefined when not a terminal. */
  readonly stderrColumns: number | undefined;
  /** Milliseconds from an arbitrary origin, monotonic. */
  readonly now: () => number;
  /** Resolves with the signal name when the process is asked to stop (SIGINT or SIGTERM); long-running commands await it. */
  readonly stopRequested: () => Promise<string>;
  /** Print stacks of unexpected errors (RELUREC_DEBUG=1). */
  readonly debug: boolean;
}

/** The io of the real process. */
export function processIo(): CliIo {
  return Object.freeze({
    stdout: (text: string) => void process.stdout.write(text),
    stderr: (text: string) => void process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
    get stderrColumns() {
      return process.stderr.isTTY ? process.stderr.columns : undefined;
    },
    debug: process.env.RELUREC_DEBUG !== undefined && process.env.RELUREC_DEBUG !== '' && process.env.RELUREC_DEBUG !== '0',
    now: () => performance.now(),
    stopRequested: () =>
      new Promise<string>((resolve) => {
        const stop = (signal: string): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve(signal);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      }),
  });
}

import type { CliIo } from '../cli/CliIo.js';

/** Numbers that come with a progress message; each is optional. */
export interface ProgressDetail {
  /**
   * Fraction of the current phase done, in [0, 1]: the bar and the ETA follow it. The ETA is
   * measured from the first update of the phase (a fraction lower than the previous one starts a
   * new phase). An update without a fraction clears it.
   */
  fraction?: number;
  /** Queries (rows) answered so far, for the rate; kept until the next update that passes it. Ignored when ProgressOptions.queries is set. */
  queries?: number;
  /** The run's query budget (null: none); kept until changed. The bar and the ETA follow it when no fraction is given. */
  budget?: number | null;
}

/** Progress on stderr: one line rewritten in place on a terminal, plain lines otherwise. */
export interface Progress {
  /** Shows a new status message, with a bar, rate and ETA on a terminal when detail (or the options) make them known. */
  update(message: string, detail?: ProgressDetail): void;
  /** Clears the in-place line (on a terminal) so that what follows starts on a clean line. Safe to call twice. */
  done(): void;
}

export interface ProgressOptions {
  /** Prefix of every line, e.g. the elapsed time and query count; called at each render. Default none. */
  status?: () => string;
  /** On a terminal, re-render every this many ms even without a new message (so counts keep moving). Default 500; 0 disables. */
  refreshMs?: number;
  /** Queries answered so far, read at each render so the rate and ETA move between messages. Default none (ProgressDetail.queries then counts). */
  queries?: () => number;
  /** The run's query budget, as if passed with the first update. Default none. */
  budget?: number | null;
  /** Milliseconds of samples the query rate is measured over. Default 10000. */
  rateWindowMs?: number;
}

/** Width of the bar in characters. */
const BAR_WIDTH = 20;

interface Sample {
  /** io.now() milliseconds. */
  readonly at: number;
  readonly value: number;
}

/**
 * Creates the progress line of a long command. With no detail and no queries/budget options the
 * lines are exactly the message after the status prefix. With them, a terminal shows
 * `████████░░░░░░░░░░░░  42%  310 q/s  ETA 4m 05s  <status>  <message>`, and plain lines end in
 * `  (42%, 310 q/s, ETA 4m 05s)`. Times come from io.now.
 * @throws RangeError when options.refreshMs, options.budget or options.rateWindowMs is out of range
 */
export function createProgress(io: CliIo, options: ProgressOptions = {}): Progress {
  const status = options.status ?? (() => '');
  const refreshMs = options.refreshMs ?? 500;
  if (!(refreshMs >= 0) || !Number.isFinite(refreshMs)) throw new RangeError(`options.refreshMs must be a number of milliseconds >= 0 (got ${String(refreshMs)})`);
  const rateWindowMs = options.rateWindowMs ?? 10_000;
  if (!(rateWindowMs > 0) || !Number.isFinite(rateWindowMs)) throw new RangeError(`options.rateWindowMs must be a positive number of milliseconds (got ${String(rateWindowMs)})`);
  let budget = checkBudget(options.budget ?? null, 'options.budget');

  let last = '';
  let finished = false;
  let reportedQueries: number | undefined;
  let querySamples: Sample[] = [];
  /** The current phase's fraction readings: the first and the latest. */
  let phase: { first: Sample; latest: Sample } | undefined;

  const currentQueries = (): number | undefined => (options.queries !== undefined ? options.queries() : reportedQueries);

  const sampleQueries = (now: number): void => {
    const queries = currentQueries();
    if (queries === undefined) return;
    const latest = querySamples[querySamples.length - 1];
    if (latest !== undefined && now <= latest.at) {
      querySamples[querySamples.length - 1] = { at: latest.at, value: queries };
      return;
    }
    querySamples.push({ at: now, value: queries });
    // Keep one sample older than the window so that the rate always spans the whole window.
    let drop = 0;
    while (drop + 1 < querySamples.length - 1 && now - querySamples[drop + 1].at >= rateWindowMs) drop++;
    if (drop > 0) querySamples = querySamples.slice(drop);
  };

  /** Queries per second over the window; undefined until two samples apart in time. */
  const queryRate = (): number | undefined => {
    if (querySamples.length < 2) return undefined;
    const first = querySamples[0];
    const latest = querySamples[querySamples.length - 1];
    return Math.max(0, (latest.value - first.value) / ((latest.at - first.at) / 1000));
  };

  /** The bar's fraction and the ETA in ms, when the total is known. */
  const outlook = (now: number, rate: number | undefined): { fraction: number; etaMs: number | undefined } | undefined => {
    if (phase !== undefined) {
      const { first, latest } = phase;
      const perMs = latest.at > first.at ? (latest.value - first.value) / (latest.at - first.at) : 0;
      // Counted down from the latest reading, so that a re-render between messages shows time passing.
      const etaMs = perMs > 0 ? Math.max(0, (1 - latest.value) / perMs - (now - latest.at)) : undefined;
      return { fraction: latest.value, etaMs };
    }
    const queries = currentQueries();
    if (budget === null || budget <= 0 || queries === undefined) return undefined;
    const etaMs = rate !== undefined && rate > 0 ? (Math.max(0, budget - queries) / rate) * 1000 : undefined;
    return { fraction: queries / budget, etaMs };
  };

  const render = (): string => {
    const now = io.now();
    sampleQueries(now);
    const rate = queryRate();
    const known = outlook(now, rate);
    const numbers: string[] = [];
    if (known !== undefined) numbers.push(`${Math.floor(100 * clamp01(known.fraction))}%`);
    if (rate !== undefined) numbers.push(`${formatCount(rate)} q/s`);
    if (known?.etaMs !== undefined) numbers.push(`ETA ${formatDuration(known.etaMs)}`);

    const prefix = status();
    const text = prefix === '' ? last : `${prefix}  ${last}`;
    if (!io.stderrIsTTY) return numbers.length === 0 ? text : `${text}  (${numbers.join(', ')})`;

    const head = [...(known === undefined ? [] : [bar(known.fraction)]), ...numbers].join('  ');
    const line = head === '' ? text : text === '' ? head : `${head}  ${text}`;
    // A line longer than the terminal wraps, and '\r' would then redraw only its last part.
    const width = io.stderrColumns;
    return width !== undefined && line.length >= width ? `${line.slice(0, Math.max(0, width - 2))}…` : line;
  };

  let timer: NodeJS.Timeout | undefined;
  if (io.stderrIsTTY && refreshMs > 0) {
    timer = setInterval(() => io.stderr(`\r\x1b[K${render()}`), refreshMs);
    timer.unref();
  }
  return {
    update(message: string, detail: ProgressDetail = {}): void {
      if (finished) return;
      last = message;
      if (detail.queries !== undefined) reportedQueries = checkCount(detail.queries, 'detail.queries');
      if (detail.budget !== undefined) budget = checkBudget(detail.budget, 'detail.budget');
      if (detail.fraction === undefined) {
        phase = undefined;
      } else {
        const fraction = detail.fraction;
        if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`detail.fraction must be in [0, 1] (got ${String(fraction)})`);
        const reading = { at: io.now(), value: fraction };
        phase = phase === undefined || fraction < phase.latest.value ? { first: reading, latest: reading } : { first: phase.first, latest: reading };
      }
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

function bar(fraction: number): string {
  const filled = Math.round(clamp01(fraction) * BAR_WIDTH);
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** '42s', '4m 05s' under ten minutes, '12m', '3h 20m'; rounded down. */
function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  if (m < 60) return `${m}m`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** '310', '12.3k', '4.56M'. */
function formatCount(n: number): string {
  if (n < 10_000) return String(Math.round(n));
  if (n < 1e6) return `${(n / 1e3).toPrecision(3)}k`;
  return `${(n / 1e6).toPrecision(3)}M`;
}

function checkCount(value: number, name: string): number {
  if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a finite number >= 0 (got ${String(value)})`);
  return value;
}

function checkBudget(value: number | null, name: string): number | null {
  return value === null ? null : checkCount(value, name);
}

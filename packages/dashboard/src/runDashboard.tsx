/** @jsxRuntime automatic @jsxImportSource react */
// The pragma: tsx (the test runner) reads the root tsconfig.json, which has no "jsx" setting.
import { render, type Instance } from 'ink';
import type { Bus, Subscription } from '@relurec/bus';
import { formatStatusLine } from './format/formatStatusLine.js';
import { DashboardModel, type DashboardModelOptions } from './model/DashboardModel.js';
import { Dashboard } from './view/Dashboard.js';

/** The part of a Bus the dashboard reads. */
export type DashboardBus = Pick<Bus, 'subscribeHeartbeats' | 'watchStatus' | 'subscribeEvents'>;

export interface RunDashboardOptions {
  readonly bus: DashboardBus;
  /** Where the view is drawn (a terminal) or the status lines are written (anything else). */
  readonly stdout: NodeJS.WriteStream;
  /** Keys ('q', arrows) are read from it on a terminal; unused otherwise. */
  readonly stdin: NodeJS.ReadStream;
  /** True for the interactive view (stdout and stdin are terminals); false for one status line per interval. */
  readonly isTTY: boolean;
  /** Milliseconds since the epoch. Default Date.now. */
  readonly clock?: () => number;
  /** Milliseconds between frames or status lines. Default 1000. */
  readonly intervalMs?: number;
  /** Passed to the model (missed beats before a worker is lost, log size, ...); its clock is the one above. */
  readonly model?: Omit<DashboardModelOptions, 'clock'>;
}

export interface DashboardHandle {
  /** Unsubscribes from the bus and stops drawing (the terminal is restored). Safe to call twice. */
  stop(): Promise<void>;
  /** Settles when the dashboard has stopped: by stop(), 'q' or Ctrl+C; rejects if unsubscribing failed. */
  readonly closed: Promise<void>;
}

/**
 * Subscribes to the bus's heartbeats, run statuses and events and shows them: the interactive view
 * on a terminal, otherwise one status line per interval (formatStatusLine). Returns at once.
 * @throws RangeError when options.intervalMs is not a positive number; whatever the bus throws when it refuses a subscription
 */
export function runDashboard(options: RunDashboardOptions): DashboardHandle {
  const intervalMs = options.intervalMs ?? 1000;
  if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) {
    throw new RangeError(`options.intervalMs must be a positive number of milliseconds (got ${String(options.intervalMs)})`);
  }
  const model = new DashboardModel({ ...options.model, clock: options.clock ?? Date.now });
  const { bus } = options;
  const subscriptions: Subscription[] = [];
  try {
    subscriptions.push(bus.subscribeHeartbeats((beat) => model.applyHeartbeat(beat)));
    subscriptions.push(bus.watchStatus((status) => model.applyStatus(status)));
    subscriptions.push(bus.subscribeEvents((event) => model.applyEvent(event)));
  } catch (error) {
    // A bus that refuses one subscription (closed) must not keep the others running.
    for (const s of subscriptions) void s.stop().catch(() => {});
    throw error;
  }

  let ink: Instance | undefined;
  let timer: NodeJS.Timeout | undefined;
  let settle!: { resolve: () => void; reject: (reason: unknown) => void };
  const closed = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  // A caller that awaits stop() alone must not see closed's rejection reported as unhandled.
  closed.catch(() => {});
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    if (stopping !== undefined) return stopping;
    stopping = (async () => {
      if (timer !== undefined) clearInterval(timer);
      ink?.unmount();
      const results = await Promise.allSettled(subscriptions.map((s) => s.stop()));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    })();
    stopping.then(settle.resolve, settle.reject);
    return stopping;
  };
  // Errors reach whoever awaits stop() or closed; these internal callers must not leave an unhandled rejection.
  const stopQuietly = (): void => void stop().catch(() => {});

  if (options.isTTY) {
    const snapshot = () => model.snapshot();
    ink = render(<Dashboard snapshot={snapshot} intervalMs={intervalMs} onExit={stopQuietly} />, {
      stdout: options.stdout,
      stdin: options.stdin,
      exitOnCtrlC: true,
      patchConsole: false,
    });
    // Ctrl+C unmounts the app by itself; stop the subscriptions too.
    ink.waitUntilExit().then(stopQuietly, stopQuietly);
  } else {
    timer = setInterval(() => options.stdout.write(`${formatStatusLine(model.snapshot())}\n`), intervalMs);
  }
  return { stop, closed };
}

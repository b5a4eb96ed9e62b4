import type { EventLevel, Heartbeat, RunState } from '@relurec/protocol';

/** A worker's state as the dashboard shows it: the worker's own word, or 'lost' when its beats stopped. */
export const WorkerStatus = { idle: 'idle', busy: 'busy', stopping: 'stopping', lost: 'lost' } as const;
export type WorkerStatus = (typeof WorkerStatus)[keyof typeof WorkerStatus];

/** Where a log line came from: an event on the bus, or the dashboard's own observation (joins, losses). */
export const LogSource = { bus: 'bus', dashboard: 'dashboard' } as const;
export type LogSource = (typeof LogSource)[keyof typeof LogSource];

/** What the ETA of a run is computed from. */
export const EtaBasis = {
  /** Time until the query budget is spent at the current query rate. */
  budget: 'budget',
  /** Time until the tasks issued so far are done at the current task rate (more may be issued later). */
  tasks: 'tasks',
} as const;
export type EtaBasis = (typeof EtaBasis)[keyof typeof EtaBasis];

export interface WorkerView {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly state: WorkerStatus;
  /** Threads of its pool. */
  readonly threads: number;
  /** Tasks it was running at its last beat. */
  readonly current: Heartbeat['current'];
  readonly tasksDone: number;
  /** Rows sent to black boxes since the worker started. */
  readonly queries: number;
  /** Rows per second over the worker's last interval (0 once it is lost). */
  readonly queriesPerSecond: number;
  /** CPU use in cores (1 = one core busy) over its last interval. */
  readonly cpu: number;
  /** Resident set size in bytes. */
  readonly rss: number;
  /** Tasks that failed on it since it started. */
  readonly errors: number;
  /** Its heartbeat interval in milliseconds. */
  readonly intervalMs: number;
  /** Milliseconds since its last beat arrived, by the dashboard's clock. */
  readonly lastBeatAgeMs: number;
}

export interface RunView {
  readonly runId: string;
  readonly target: string;
  readonly state: RunState;
  readonly phase: string;
  /** Hidden layer being recovered (1-based; 0 before the first). */
  readonly layer: number;
  /** Neurons found so far per hidden layer. */
  readonly neurons: readonly number[];
  readonly queries: number;
  readonly budget: number | null;
  readonly tasksIssued: number;
  readonly tasksDone: number;
  /** Queries per second over the recent status updates (the whole run once it stopped); null while unknown. */
  readonly queriesPerSecond: number | null;
  /** Tasks done per second, measured like queriesPerSecond; null while unknown. */
  readonly tasksPerSecond: number | null;
  /** Milliseconds left (see etaBasis), counted down between status updates; null when not running or unknown. */
  readonly etaMs: number | null;
  readonly etaBasis: EtaBasis | null;
  /** Milliseconds since the epoch, by the coordinator's clock. */
  readonly startedAt: number;
  readonly updatedAt: number;
  /** Milliseconds since its last status arrived, by the dashboard's clock. */
  readonly lastUpdateAgeMs: number;
  readonly reason?: string;
}

export interface LogEntry {
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly level: EventLevel;
  /** 'task-retry', 'message-rejected', 'worker-joined', 'worker-lost', 'worker-left', ... */
  readonly kind: string;
  /** '' for cluster-wide lines. */
  readonly runId: string;
  readonly message: string;
  readonly source: LogSource;
}

export interface WorkerTotals {
  readonly workers: number;
  readonly idle: number;
  readonly busy: number;
  readonly stopping: number;
  readonly lost: number;
  /** Pool threads of the workers that are not lost. */
  readonly threads: number;
  /** Tasks running now on the workers that are not lost. */
  readonly running: number;
  /** Sum of queriesPerSecond over the workers that are not lost. */
  readonly queriesPerSecond: number;
  /** Sum of errors over every listed worker. */
  readonly errors: number;
}

/** Everything one frame shows, computed once per render. */
export interface DashboardSnapshot {
  /** The clock's time of the snapshot, milliseconds since the epoch. */
  readonly now: number;
  /** Lost workers first, then by id (natural order: w2 before w10). */
  readonly workers: readonly WorkerView[];
  readonly totals: WorkerTotals;
  /** By start time, then runId. */
  readonly runs: readonly RunView[];
  /** Oldest first; at most the model's logSize lines. */
  readonly log: readonly LogEntry[];
  /** Bus events seen since the dashboard started, by kind ('task-retry': 3, ...). */
  readonly eventCounts: Readonly<Record<string, number>>;
}

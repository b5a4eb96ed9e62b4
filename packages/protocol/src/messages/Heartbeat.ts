import type { PROTOCOL_VERSION } from './TaskMessage.js';

export const WorkerState = { idle: 'idle', busy: 'busy', stopping: 'stopping' } as const;
export type WorkerState = (typeof WorkerState)[keyof typeof WorkerState];

/** A worker's periodic report (every heartbeatMs; a worker is lost after a few missed beats). */
export interface Heartbeat {
  readonly v: typeof PROTOCOL_VERSION;
  readonly workerId: string;
  readonly host: string;
  readonly pid: number;
  readonly state: WorkerState;
  /** Threads of its pool. */
  readonly threads: number;
  /** Tasks running now (runId/taskId). */
  readonly current: readonly { runId: string; taskId: string; kind: string }[];
  readonly tasksDone: number;
  /** Rows sent to black boxes since the worker started. */
  readonly queries: number;
  /** Rows per second over the last interval. */
  readonly queriesPerSecond: number;
  /** CPU use over the last interval, in cores (1 = one core busy). */
  readonly cpu: number;
  /** Resident set size in bytes. */
  readonly rss: number;
  /** Tasks that failed since start. */
  readonly errors: number;
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** Interval between beats in milliseconds. */
  readonly intervalMs: number;
}

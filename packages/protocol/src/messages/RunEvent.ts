import type { PROTOCOL_VERSION } from './TaskMessage.js';

export const EventLevel = { info: 'info', warn: 'warn', error: 'error' } as const;
export type EventLevel = (typeof EventLevel)[keyof typeof EventLevel];

/** Something worth a line in a log: a retried task, a rejected message, a worker joining or lost. */
export interface RunEvent {
  readonly v: typeof PROTOCOL_VERSION;
  /** The run it concerns; '' for cluster-wide events (workers). */
  readonly runId: string;
  readonly level: EventLevel;
  /** Short machine-readable kind: 'task-retry', 'message-rejected', 'worker-joined', 'worker-lost', 'phase', 'run-done'. */
  readonly kind: string;
  readonly message: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

import type { FragmentMessage, Heartbeat, RunEvent, RunRecord, RunStatus, TaskMessage } from '@relurec/protocol';

/** A running subscription or consumer; stop() ends it (pending handlers finish first). */
export interface Subscription {
  stop(): Promise<void>;
}

export interface ServeTasksOptions {
  /** Tasks run at once by this consumer (the worker's thread count). Must be >= 1. */
  concurrency: number;
  /** Only tasks of this run; default: every run. */
  runId?: string;
  /**
   * Milliseconds a task may stay unacknowledged before it is redelivered to another consumer
   * (a worker that died mid-task). Default 30000. Long tasks are kept alive by progress acks.
   */
  ackWaitMs?: number;
}

/**
 * What the coordinator, workers, merger and dashboard exchange (SYSTEM.md). Two implementations
 * behave the same: in-process (embedded mode) and NATS JetStream (cluster mode). Delivery is at
 * least once: a consumer may see a task or a fragment twice and must be idempotent.
 */
export interface Bus {
  /** Stores a run's record (its spec); overwrites an existing one with the same runId. */
  putRun(record: RunRecord): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;

  /** Stores where a run stands (the dashboard watches it). */
  putStatus(status: RunStatus): Promise<void>;
  getStatus(runId: string): Promise<RunStatus | undefined>;
  /** Current status of every run first, then every update. */
  watchStatus(handler: (status: RunStatus) => void): Subscription;

  /** Queues tasks (work queue). Publishing the same taskId again while it is queued is a no-op. */
  publishTasks(tasks: readonly TaskMessage[]): Promise<void>;
  /**
   * Worker side: runs each task with the handler; the returned fragment is published, then the
   * task acknowledged. A handler that throws has its task redelivered (bounded; after the last
   * attempt the bus publishes a failure fragment for it).
   */
  serveTasks(handler: (task: TaskMessage) => Promise<FragmentMessage>, options: ServeTasksOptions): Subscription;

  publishFragment(fragment: FragmentMessage): Promise<void>;
  /**
   * Every fragment of a run from its start (a restarted coordinator replays them), then new ones
   * as they arrive. Malformed messages are rejected (counted, an event published), never handed on.
   */
  subscribeFragments(runId: string, handler: (fragment: FragmentMessage) => void): Subscription;

  publishHeartbeat(beat: Heartbeat): Promise<void>;
  subscribeHeartbeats(handler: (beat: Heartbeat) => void): Subscription;

  publishEvent(event: RunEvent): Promise<void>;
  subscribeEvents(handler: (event: RunEvent) => void): Subscription;

  /** Stores a large immutable object (a target model) by name: the object store in cluster mode. */
  putBlob(name: string, bytes: Uint8Array): Promise<void>;
  /** The object stored under name, undefined when there is none. */
  getBlob(name: string): Promise<Uint8Array | undefined>;

  /** Messages rejected on receipt so far (malformed, foreign, wrong version). */
  readonly rejected: number;

  close(): Promise<void>;
}

import type { FragmentMessage, FragmentStage, Heartbeat, RunEvent, RunRecord, RunStatus, TaskMessage } from '@relurec/protocol';

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

/** Which stage of a run's fragments a call is about (publishFragment, subscribeFragments). */
export interface FragmentStageOptions {
  /**
   * 'raw' (the default): fragments as workers publish them (`relurec.<run>.fragments`);
   * 'merged': as the merger service republishes the accepted ones, each task's once
   * (`relurec.<run>.merged`). The two stages are separate logs with separate duplicate windows.
   */
  readonly stage?: FragmentStage;
}

export interface SubscribeFragmentsOptions extends FragmentStageOptions {
  /**
   * Called once, when the handler has been handed every fragment the stage held when the
   * subscription started (at once, asynchronously, when it held none): the replay is over, what
   * follows is new. Never called after stop().
   */
  readonly onReplayed?: () => void;
}

/** What prepareTopology makes ready: the task consumer that serveTasks with the same options uses. */
export interface PrepareTopologyOptions {
  /**
   * Prepare the consumer of serveTasks({ runId }) (workers that serve only this run) instead of the
   * shared one of serveTasks() (workers that serve every run). A work queue takes one consumer per
   * subject: on one server, prepare one kind or the other.
   */
  readonly runId?: string;
  /** The ackWaitMs the workers serve with. Default 30000 (serveTasks' default). */
  readonly ackWaitMs?: number;
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
   * Coordinator side, before tasks are published: creates what workers need and may not create
   * themselves (a worker's permissions in deploy/nats/auth.conf): the streams (the fragments stream
   * capturing both stages) and the durable task consumer that serveTasks with the same runId and
   * ackWaitMs uses, with the settings workers expect (an existing one is updated to them).
   * Idempotent. The in-process bus has nothing to prepare.
   * @throws BusTopologyError naming what could not be created or updated.
   */
  prepareTopology(options?: PrepareTopologyOptions): Promise<void>;
  /**
   * Worker side: runs each task with the handler; the returned fragment is published (raw stage),
   * then the task acknowledged. A handler that throws has its task redelivered (bounded; after the
   * last attempt the bus publishes a failure fragment for it). On NATS it uses the durable consumer
   * prepareTopology made; it creates the consumer only when it is missing and this client may.
   */
  serveTasks(handler: (task: TaskMessage) => Promise<FragmentMessage>, options: ServeTasksOptions): Subscription;

  /** Publishes a fragment to a stage (default 'raw'); a second one of the same task within the duplicate window is dropped. */
  publishFragment(fragment: FragmentMessage, options?: FragmentStageOptions): Promise<void>;
  /**
   * Every fragment of a run on a stage (default 'raw') from its start (a restarted coordinator or
   * merger replays them), in publication order, then new ones as they arrive. Malformed messages
   * are rejected (counted, an event published), never handed on.
   */
  subscribeFragments(runId: string, handler: (fragment: FragmentMessage) => void, options?: SubscribeFragmentsOptions): Subscription;

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

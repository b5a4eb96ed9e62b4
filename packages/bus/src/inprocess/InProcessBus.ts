import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FragmentMessage, FragmentStage, Heartbeat, RunEvent, RunRecord, RunStatus, TaskMessage } from '@relurec/protocol';
import {
  assertRunId,
  decodeFragmentMessage,
  decodeHeartbeat,
  decodeRunEvent,
  decodeRunRecord,
  decodeRunStatus,
  decodeTaskMessage,
  encode,
  KvBucket,
  MsgId,
  parseSubject,
  FragmentStage as Stage,
  Subject,
  validateFragmentMessage,
  validateHeartbeat,
  validateRunEvent,
  validateRunRecord,
  validateRunStatus,
  validateTaskMessage,
} from '@relurec/protocol';
import type { Bus, FragmentStageOptions, PrepareTopologyOptions, ServeTasksOptions, SubscribeFragmentsOptions, Subscription } from '../Bus.js';
import { BusClosedError } from '../errors/BusClosedError.js';
import { failedEvent, rejectedEvent, retryEvent } from '../internal/busEvents.js';
import { checkBlobName } from '../internal/checkBlobName.js';
import { kvSubject, subjectFor } from '../internal/subjects.js';
import { checkString } from '../internal/checkOption.js';
import { checkServeOptions } from '../internal/checkServeOptions.js';
import { checkPrepareOptions, checkStage, checkSubscribeOptions, stageMsgId, stageSubject } from '../internal/checkStage.js';
import { DedupeWindow } from '../internal/DedupeWindow.js';
import { checkFragmentAnswers, failureFragment } from '../internal/failureFragment.js';
import type { ErrorReporter } from '../internal/reportError.js';
import { asError, warnError } from '../internal/reportError.js';
import type { TaskPolicy, TaskPolicyOptions } from '../internal/TaskPolicy.js';
import { resolveTaskPolicy, retryDelay } from '../internal/TaskPolicy.js';
import { FragmentLog } from './internal/FragmentLog.js';
import type { Store } from './internal/Store.js';
import { FileStore, MemoryStore } from './internal/Store.js';

export interface InProcessBusOptions extends TaskPolicyOptions {
  /**
   * Directory that keeps run records, statuses, blobs and every run's fragments (an append-only
   * log of msgpack frames per run and stage: `fragments/<runId>.frames` for the raw stage,
   * `merged/<runId>.frames` for the merged one). A new bus over the same directory sees them all
   * and replays the fragments through subscribeFragments: that is how a run resumes in embedded
   * mode. One process at a time per directory. Default: none (memory only).
   */
  readonly dir?: string;
  /** Attempts of a task whose handler throws; after the last, a failure fragment is published. Default 5. */
  readonly maxDeliver?: number;
  /** Milliseconds before the second attempt of a failed task; doubles with each attempt, capped at 30000. Default 1000. */
  readonly retryDelayMs?: number;
  /**
   * Milliseconds during which a second task or fragment with the same runId/taskId is dropped,
   * as JetStream's duplicate window does. Default 120000.
   */
  readonly duplicateWindowMs?: number;
  /** Names this process in the failure fragments the bus publishes. Default `${hostname}:${pid}`. */
  readonly workerId?: string;
  /** Receives errors of background work no caller can catch (a subscriber's handler that throws). Default: a process warning. */
  readonly onError?: (error: Error) => void;
}

/** Where each stage's logs live under `dir`. */
const STAGE_DIRS: Readonly<Record<FragmentStage, string>> = { raw: 'fragments', merged: 'merged' };

/** A task waiting in the queue (bytes as published: decoded and validated by the consumer). */
interface QueuedTask {
  readonly runId: string;
  readonly bytes: Uint8Array;
  /** Attempts so far. */
  attempts: number;
  /** Not to be handed out before this time (ms since the epoch): a failed attempt's delay. */
  notBefore: number;
}

interface TaskConsumer {
  readonly handler: (task: TaskMessage) => Promise<FragmentMessage>;
  readonly concurrency: number;
  readonly runId: string | undefined;
  readonly inFlight: Set<Promise<void>>;
  stopped: boolean;
}

interface FragmentReader {
  readonly runId: string;
  readonly stage: FragmentStage;
  readonly log: FragmentLog;
  readonly handler: (fragment: FragmentMessage) => void;
  /** Index of the next frame of the log to hand on. */
  cursor: number;
  /** Frames the log held when the subscription started (known once the log is loaded). */
  replayTo: number | undefined;
  /** Called once the cursor has reached replayTo; cleared when called. */
  onReplayed: (() => void) | undefined;
  scheduled: boolean;
  stopped: boolean;
}

interface StatusWatcher {
  readonly handler: (status: RunStatus) => void;
  /** Updates (runId, bytes) held back until the current statuses have been handed on. */
  backlog: [string, Uint8Array][] | undefined;
  stopped: boolean;
}

/**
 * The bus of embedded mode: one process, no server. It keeps the semantics of the JetStream bus:
 * every message is encoded with the protocol codec and validated on receipt (a malformed one is
 * counted in `rejected`, announced by a 'message-rejected' event and never handed on), tasks form a
 * work queue shared by every serveTasks consumer, a handler that throws has its task delivered again
 * after a delay, up to `maxDeliver` attempts, then a failure fragment is published; a second task or
 * fragment with the same id within the duplicate window is dropped; fragments are kept per run and
 * stage (raw, merged) and replayed to late subscribers. `ackWaitMs` has nothing to guard here: a task is redelivered only
 * when its handler throws (a process that dies takes its queue with it; with `dir`, the coordinator
 * re-issues what has no fragment).
 */
export class InProcessBus implements Bus {
  readonly #policy: TaskPolicy;
  readonly #dir: string | undefined;
  readonly #store: Store;
  readonly #onError: ErrorReporter;
  readonly #taskIds: DedupeWindow;
  /** Dedupe windows of the fragment stages (raw, merged): separate, like their Nats-Msg-Ids. */
  readonly #fragmentIds: Record<FragmentStage, DedupeWindow>;
  readonly #queue: QueuedTask[] = [];
  readonly #consumers = new Set<TaskConsumer>();
  readonly #logs = new Map<string, FragmentLog>();
  readonly #readers = new Set<FragmentReader>();
  readonly #heartbeatHandlers = new Set<(bytes: Uint8Array) => void>();
  readonly #eventHandlers = new Set<(bytes: Uint8Array, subject: string) => void>();
  readonly #watchers = new Set<StatusWatcher>();
  readonly #background = new Set<Promise<unknown>>();
  /** mkdir of each stage's log directory, once. */
  readonly #stageDirs = new Map<FragmentStage, Promise<unknown>>();
  #wakeTimer: NodeJS.Timeout | undefined;
  #wakeAt = Infinity;
  #rejected = 0;
  #closing = false;
  #closed = false;

  constructor(options: InProcessBusOptions = {}) {
    this.#policy = resolveTaskPolicy(options);
    checkString(options.dir, 'options.dir');
    if (options.onError !== undefined && typeof options.onError !== 'function') {
      throw new TypeError('options.onError must be a function');
    }
    this.#dir = options.dir;
    this.#store = options.dir === undefined ? new MemoryStore() : new FileStore(options.dir);
    this.#onError = options.onError ?? warnError;
    this.#taskIds = new DedupeWindow(this.#policy.duplicateWindowMs);
    this.#fragmentIds = {
      raw: new DedupeWindow(this.#policy.duplicateWindowMs),
      merged: new DedupeWindow(this.#policy.duplicateWindowMs),
    };
  }

  /** Messages rejected on receipt so far (malformed, foreign, wrong version). */
  get rejected(): number {
    return this.#rejected;
  }

  // ---- run records, statuses, blobs ----

  async putRun(record: RunRecord): Promise<void> {
    this.#assertOpen('putRun');
    validateRunRecord(record, kvSubject(KvBucket.runs, record?.runId));
    await this.#store.put('runs', record.runId, encode(record));
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    this.#assertOpen('getRun');
    assertRunId(runId);
    const bytes = await this.#store.get('runs', runId);
    if (bytes === undefined) return undefined;
    return this.#decodeOrThrow(() => decodeRunRecord(bytes, kvSubject(KvBucket.runs, runId)), runId);
  }

  async putStatus(status: RunStatus): Promise<void> {
    this.#assertOpen('putStatus');
    validateRunStatus(status, kvSubject(KvBucket.status, status?.runId));
    const bytes = encode(status);
    await this.#store.put('status', status.runId, bytes);
    for (const watcher of this.#watchers) {
      if (watcher.backlog !== undefined) watcher.backlog.push([status.runId, bytes]);
      else setImmediate(() => this.#deliverStatus(watcher, status.runId, bytes));
    }
  }

  async getStatus(runId: string): Promise<RunStatus | undefined> {
    this.#assertOpen('getStatus');
    assertRunId(runId);
    const bytes = await this.#store.get('status', runId);
    if (bytes === undefined) return undefined;
    return this.#decodeOrThrow(() => decodeRunStatus(bytes, kvSubject(KvBucket.status, runId)), runId);
  }

  watchStatus(handler: (status: RunStatus) => void): Subscription {
    this.#assertOpen('watchStatus');
    const watcher: StatusWatcher = { handler, backlog: [], stopped: false };
    this.#watchers.add(watcher);
    this.#track(
      (async () => {
        for (const runId of await this.#store.keys('status')) {
          const bytes = await this.#store.get('status', runId);
          if (bytes !== undefined) this.#deliverStatus(watcher, runId, bytes);
        }
        const backlog = watcher.backlog ?? [];
        watcher.backlog = undefined;
        for (const [runId, bytes] of backlog) this.#deliverStatus(watcher, runId, bytes);
      })(),
    );
    return {
      stop: async () => {
        watcher.stopped = true;
        this.#watchers.delete(watcher);
      },
    };
  }

  async putBlob(name: string, bytes: Uint8Array): Promise<void> {
    this.#assertOpen('putBlob');
    checkBlobName(name);
    if (!(bytes instanceof Uint8Array)) throw new TypeError(`blob '${name}' must be a Uint8Array`);
    await this.#store.put('blobs', name, bytes);
  }

  async getBlob(name: string): Promise<Uint8Array | undefined> {
    this.#assertOpen('getBlob');
    checkBlobName(name);
    return this.#store.get('blobs', name);
  }

  // ---- tasks ----

  /** Nothing to prepare in one process (the options are checked). */
  async prepareTopology(options?: PrepareTopologyOptions): Promise<void> {
    this.#assertOpen('prepareTopology');
    checkPrepareOptions(options);
  }

  async publishTasks(tasks: readonly TaskMessage[]): Promise<void> {
    this.#assertOpen('publishTasks');
    if (!Array.isArray(tasks)) throw new TypeError('publishTasks takes an array of tasks');
    // All or nothing: a bad task refuses the whole batch before any is queued.
    for (const task of tasks) validateTaskMessage(task, subjectFor('tasks', task?.runId));
    for (const task of tasks) {
      if (this.#taskIds.seen(MsgId.task(task.runId, task.taskId))) continue;
      this.#queue.push({ runId: task.runId, bytes: encode(task), attempts: 0, notBefore: 0 });
    }
    this.#pump();
  }

  serveTasks(handler: (task: TaskMessage) => Promise<FragmentMessage>, options: ServeTasksOptions): Subscription {
    this.#assertOpen('serveTasks');
    if (typeof handler !== 'function') throw new TypeError('serveTasks handler must be a function');
    const { concurrency, runId } = checkServeOptions(options);
    const consumer: TaskConsumer = { handler, concurrency, runId, inFlight: new Set(), stopped: false };
    this.#consumers.add(consumer);
    setImmediate(() => this.#pump());
    return {
      stop: async () => {
        consumer.stopped = true;
        this.#consumers.delete(consumer);
        await Promise.all(consumer.inFlight);
      },
    };
  }

  // ---- fragments ----

  async publishFragment(fragment: FragmentMessage, options?: FragmentStageOptions): Promise<void> {
    this.#assertOpen('publishFragment');
    const stage = checkStage(options);
    validateFragmentMessage(fragment, subjectFor(stage === Stage.merged ? 'merged' : 'fragments', fragment?.runId));
    if (this.#fragmentIds[stage].seen(stageMsgId(stage, fragment.runId, fragment.taskId))) return;
    await this.#appendFragment(stage, fragment.runId, encode(fragment));
  }

  subscribeFragments(runId: string, handler: (fragment: FragmentMessage) => void, options?: SubscribeFragmentsOptions): Subscription {
    this.#assertOpen('subscribeFragments');
    assertRunId(runId);
    if (typeof handler !== 'function') throw new TypeError('subscribeFragments handler must be a function');
    const { stage, onReplayed } = checkSubscribeOptions(options);
    const log = this.#log(stage, runId);
    const reader: FragmentReader = { runId, stage, log, handler, cursor: 0, replayTo: undefined, onReplayed, scheduled: false, stopped: false };
    this.#readers.add(reader);
    this.#track(
      log.ready.then(() => {
        reader.replayTo = log.frames.length;
        this.#scheduleRead(reader);
      }),
    );
    return {
      stop: async () => {
        reader.stopped = true;
        this.#readers.delete(reader);
      },
    };
  }

  // ---- heartbeats and events ----

  async publishHeartbeat(beat: Heartbeat): Promise<void> {
    this.#assertOpen('publishHeartbeat');
    validateHeartbeat(beat, Subject.heartbeat);
    this.#fanOutHeartbeat(encode(beat));
  }

  subscribeHeartbeats(handler: (beat: Heartbeat) => void): Subscription {
    this.#assertOpen('subscribeHeartbeats');
    const receive = (bytes: Uint8Array): void => {
      let beat: Heartbeat;
      try {
        beat = decodeHeartbeat(bytes, Subject.heartbeat);
      } catch (err) {
        this.#reject(err, '');
        return;
      }
      this.#callHandler(() => handler(beat));
    };
    this.#heartbeatHandlers.add(receive);
    return { stop: async () => void this.#heartbeatHandlers.delete(receive) };
  }

  async publishEvent(event: RunEvent): Promise<void> {
    this.#assertOpen('publishEvent');
    validateRunEvent(event, subjectFor('events', event?.runId));
    this.#fanOutEvent(encode(event), Subject.events(event.runId));
  }

  subscribeEvents(handler: (event: RunEvent) => void): Subscription {
    this.#assertOpen('subscribeEvents');
    const receive = (bytes: Uint8Array, subject: string): void => {
      let event: RunEvent;
      try {
        event = decodeRunEvent(bytes, subject);
      } catch (err) {
        // Counted but not announced: announcing a bad event with an event could loop.
        this.#reject(err, undefined);
        return;
      }
      this.#callHandler(() => handler(event));
    };
    this.#eventHandlers.add(receive);
    return { stop: async () => void this.#eventHandlers.delete(receive) };
  }

  /**
   * Delivers raw bytes as if a foreign or broken client had published them on `subject` (a
   * `relurec.<run>.tasks|fragments|merged|events` subject or the heartbeat subject): nothing is
   * checked on the way in (no dedupe either), receivers validate as usual. For tests and drills of
   * the rejection path.
   * @throws RangeError for a subject the bus does not carry.
   */
  async publishRaw(subject: string, bytes: Uint8Array): Promise<void> {
    this.#assertOpen('publishRaw');
    const parsed = parseSubject(subject);
    switch (parsed?.kind) {
      case 'tasks':
        this.#queue.push({ runId: parsed.runId, bytes: bytes.slice(), attempts: 0, notBefore: 0 });
        this.#pump();
        return;
      case 'fragments':
        await this.#appendFragment(Stage.raw, parsed.runId, bytes.slice());
        return;
      case 'merged':
        await this.#appendFragment(Stage.merged, parsed.runId, bytes.slice());
        return;
      case 'heartbeat':
        this.#fanOutHeartbeat(bytes.slice());
        return;
      case 'events':
        this.#fanOutEvent(bytes.slice(), subject);
        return;
      default:
        throw new RangeError(`publishRaw: '${subject}' is not a subject this bus carries (tasks, fragments, merged, events or heartbeat)`);
    }
  }

  /**
   * Stops every consumer (their running handlers finish and publish first) and subscription, writes
   * out what is pending to `dir`, and refuses further calls. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    for (const consumer of this.#consumers) consumer.stopped = true;
    await Promise.all([...this.#consumers].flatMap((consumer) => [...consumer.inFlight]));
    this.#consumers.clear();
    clearTimeout(this.#wakeTimer);
    this.#closed = true;
    for (const reader of this.#readers) reader.stopped = true;
    this.#readers.clear();
    for (const watcher of this.#watchers) watcher.stopped = true;
    this.#watchers.clear();
    this.#heartbeatHandlers.clear();
    this.#eventHandlers.clear();
    await Promise.allSettled([...this.#background]);
    await Promise.allSettled([...this.#logs.values()].map((log) => log.close()));
  }

  // ---- internals ----

  #assertOpen(operation: string): void {
    if (this.#closed) throw new BusClosedError(operation);
  }

  /** Hands queued tasks to consumers with free slots; arms a timer for delayed ones. */
  #pump(): void {
    if (this.#closed) return;
    const now = Date.now();
    let nextAt = Infinity;
    for (const consumer of this.#consumers) {
      while (!consumer.stopped && consumer.inFlight.size < consumer.concurrency) {
        let index = -1;
        for (let i = 0; i < this.#queue.length; i++) {
          const queued = this.#queue[i]!;
          if (consumer.runId !== undefined && queued.runId !== consumer.runId) continue;
          if (queued.notBefore <= now) {
            index = i;
            break;
          }
          nextAt = Math.min(nextAt, queued.notBefore);
        }
        if (index < 0) break;
        const [queued] = this.#queue.splice(index, 1);
        const run = this.#runTask(consumer, queued!).finally(() => {
          consumer.inFlight.delete(run);
          this.#pump();
        });
        consumer.inFlight.add(run);
      }
    }
    if (nextAt < this.#wakeAt) {
      clearTimeout(this.#wakeTimer);
      this.#wakeAt = nextAt;
      this.#wakeTimer = setTimeout(() => {
        this.#wakeAt = Infinity;
        this.#pump();
      }, nextAt - now);
    }
  }

  async #runTask(consumer: TaskConsumer, queued: QueuedTask): Promise<void> {
    const subject = Subject.tasks(queued.runId);
    let task: TaskMessage;
    try {
      task = decodeTaskMessage(queued.bytes, subject);
    } catch (err) {
      this.#reject(err, queued.runId);
      return;
    }
    queued.attempts++;
    const started = performance.now();
    try {
      const fragment = await consumer.handler(task);
      checkFragmentAnswers(fragment, task);
      await this.publishFragment(fragment);
    } catch (err) {
      const seconds = (performance.now() - started) / 1000;
      await this.#afterFailure(task, queued, err, seconds).catch((e: unknown) => this.#onError(asError(e)));
    }
  }

  async #afterFailure(task: TaskMessage, queued: QueuedTask, error: unknown, seconds: number): Promise<void> {
    const { maxDeliver, workerId } = this.#policy;
    if (queued.attempts >= maxDeliver) {
      await this.publishFragment(failureFragment(task, error, workerId, seconds));
      await this.#publishEventInternal(failedEvent(task, error, queued.attempts));
      return;
    }
    const delayMs = retryDelay(this.#policy, queued.attempts);
    queued.notBefore = Date.now() + delayMs;
    this.#queue.push(queued);
    await this.#publishEventInternal(retryEvent(task, error, queued.attempts, maxDeliver, delayMs));
  }

  async #publishEventInternal(event: RunEvent): Promise<void> {
    if (this.#closed) return;
    this.#fanOutEvent(encode(validateRunEvent(event)), Subject.events(event.runId));
  }

  #log(stage: FragmentStage, runId: string): FragmentLog {
    const key = `${stage}/${runId}`;
    let log = this.#logs.get(key);
    if (log === undefined) {
      log = new FragmentLog(this.#dir === undefined ? undefined : join(this.#dir, STAGE_DIRS[stage], `${runId}.frames`));
      this.#logs.set(key, log);
    }
    return log;
  }

  async #appendFragment(stage: FragmentStage, runId: string, bytes: Uint8Array): Promise<void> {
    if (this.#dir !== undefined) {
      let made = this.#stageDirs.get(stage);
      if (made === undefined) {
        made = mkdir(join(this.#dir, STAGE_DIRS[stage]), { recursive: true });
        this.#stageDirs.set(stage, made);
      }
      await made;
    }
    await this.#log(stage, runId).append(bytes);
    for (const reader of this.#readers) {
      if (reader.runId === runId && reader.stage === stage) this.#scheduleRead(reader);
    }
  }

  #scheduleRead(reader: FragmentReader): void {
    if (reader.scheduled || reader.stopped) return;
    reader.scheduled = true;
    setImmediate(() => {
      reader.scheduled = false;
      const subject = stageSubject(reader.stage, reader.runId);
      while (!reader.stopped && reader.cursor < reader.log.frames.length) {
        const bytes = reader.log.frames[reader.cursor++]!;
        let fragment: FragmentMessage;
        try {
          fragment = decodeFragmentMessage(bytes, subject);
        } catch (err) {
          this.#reject(err, reader.runId);
          continue;
        }
        this.#callHandler(() => reader.handler(fragment));
      }
      if (!reader.stopped && reader.onReplayed !== undefined && reader.replayTo !== undefined && reader.cursor >= reader.replayTo) {
        const onReplayed = reader.onReplayed;
        reader.onReplayed = undefined;
        this.#callHandler(onReplayed);
      }
    });
  }

  #fanOutHeartbeat(bytes: Uint8Array): void {
    for (const receive of this.#heartbeatHandlers) setImmediate(() => receive(bytes));
  }

  #fanOutEvent(bytes: Uint8Array, subject: string): void {
    for (const receive of this.#eventHandlers) setImmediate(() => receive(bytes, subject));
  }

  #deliverStatus(watcher: StatusWatcher, runId: string, bytes: Uint8Array): void {
    if (watcher.stopped) return;
    let status: RunStatus;
    try {
      status = decodeRunStatus(bytes, kvSubject(KvBucket.status, runId));
    } catch (err) {
      this.#reject(err, runId);
      return;
    }
    this.#callHandler(() => watcher.handler(status));
  }

  /** Counts a rejected message and, unless runId is undefined (a bad event), announces it. */
  #reject(error: unknown, runId: string | undefined): void {
    this.#rejected++;
    if (runId === undefined || this.#closed) return;
    const event = rejectedEvent(error, runId);
    this.#fanOutEvent(encode(event), Subject.events(event.runId));
  }

  #decodeOrThrow<T>(decodeX: () => T, runId: string): T {
    try {
      return decodeX();
    } catch (err) {
      this.#reject(err, runId);
      throw err;
    }
  }

  #callHandler(call: () => void): void {
    try {
      call();
    } catch (err) {
      this.#onError(asError(err));
    }
  }

  #track(promise: Promise<unknown>): void {
    const tracked = promise.catch((err: unknown) => this.#onError(asError(err))).finally(() => this.#background.delete(tracked));
    this.#background.add(tracked);
  }
}


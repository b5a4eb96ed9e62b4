import type { KV, KvWatchEntry } from '@nats-io/kv';
import type { NatsConnection, QueuedIterator, Subscription as NatsSubscription } from '@nats-io/transport-node';
import type { FragmentMessage, FragmentStage, Heartbeat, RunEvent, RunRecord, RunStatus, TaskMessage } from '@relurec/protocol';
import {
  assertRunId,
  decodeFragmentMessage,
  decodeHeartbeat,
  decodeRunEvent,
  decodeRunRecord,
  decodeRunStatus,
  encode,
  FragmentStage as Stage,
  KvBucket,
  MsgId,
  parseSubject,
  StreamName,
  Subject,
  validateFragmentMessage,
  validateHeartbeat,
  validateRunEvent,
  validateRunRecord,
  validateRunStatus,
  validateTaskMessage,
} from '@relurec/protocol';
import type { Bus, FragmentStageOptions, PrepareTopologyOptions, ServeTasksOptions, SubscribeFragmentsOptions, Subscription } from '../../Bus.js';
import { BusClosedError } from '../../errors/BusClosedError.js';
import { rejectedEvent } from '../../internal/busEvents.js';
import { checkBlobName } from '../../internal/checkBlobName.js';
import { checkServeOptions } from '../../internal/checkServeOptions.js';
import { checkPrepareOptions, checkStage, checkSubscribeOptions, stageMsgId, stageSubject } from '../../internal/checkStage.js';
import type { ErrorReporter } from '../../internal/reportError.js';
import { asError } from '../../internal/reportError.js';
import { kvSubject, subjectFor } from '../../internal/subjects.js';
import type { TaskPolicy } from '../../internal/TaskPolicy.js';
import { isPassing, retryPassing } from './internal/retryPassing.js';
import type { OrderedCursor } from './internal/readOrdered.js';
import { readOrdered } from './internal/readOrdered.js';
import { ensureTaskConsumer } from './internal/taskConsumer.js';
import { PayloadStore } from './internal/PayloadStore.js';
import { TaskServer } from './internal/TaskServer.js';
import type { Topology } from './internal/Topology.js';
import { ensureMergedStage, ensureStreams } from './internal/Topology.js';

/** Settings a NatsBus runs with, resolved from NatsBusOptions by connectNatsBus. */
export interface NatsBusSettings {
  readonly policy: TaskPolicy;
  readonly pullExpiresMs: number;
  readonly retryMs: number;
  readonly onError: ErrorReporter;
  /** Largest encoded task or fragment sent inline; larger ones go through the payload object store. */
  readonly inlinePayloadBytes: number;
}

/** Tasks published per round trip of publishTasks (pipelined publish acks). */
const PUBLISH_WINDOW = 256;
/** Pause before a subscription that failed to start tries again, ms. */
const RESUBSCRIBE_PAUSE_MS = 500;

/** A background subscription: a loop that runs until stopped, restarting what it reads after errors. */
interface Reader {
  stopped: boolean;
  /** Ends whatever the loop is reading now, for good. */
  halt: (() => void) | undefined;
  /** Called when the connection is back after a loss: what the server held for the read may be gone. */
  onReconnect: (() => void) | undefined;
  done: Promise<void>;
}

/**
 * The bus of cluster mode, on NATS JetStream (create it with connectNatsBus). Tasks go on the
 * work-queue stream RELUREC_TASKS (Nats-Msg-Id `${runId}/${taskId}`: a second publication within
 * the duplicate window is dropped) and are served by durable pull consumers (see serveTasks) that
 * the coordinator prepares (prepareTopology); fragments on RELUREC_FRAGMENTS, raw ones on
 * `relurec.<run>.fragments`, merged ones on `relurec.<run>.merged` (Nats-Msg-Id
 * `${runId}/${taskId}/fragment` and `.../merged`), read back by ordered consumers from the first
 * one; heartbeats and
 * events are core NATS messages; run records and statuses live in the KV buckets relurec-runs and
 * relurec-status, blobs in the object store relurec-models; a task or fragment larger than one
 * message may be (inlinePayloadBytes) is stored in relurec-payloads and sent as a reference. Every message is validated on the way
 * out and on receipt; a malformed one received is counted in `rejected`, announced by a
 * 'message-rejected' event and never handed on. The client reconnects forever after a lost
 * connection or a server restart; consumers and subscriptions resume where they were.
 */
export class NatsBus implements Bus {
  readonly #nc: NatsConnection;
  readonly #topology: Topology;
  readonly #settings: NatsBusSettings;
  readonly #payloads: PayloadStore;
  readonly #servers = new Set<TaskServer>();
  readonly #readers = new Set<Reader>();
  readonly #subs = new Set<NatsSubscription>();
  #rejected = 0;
  #closing: Promise<void> | undefined;
  #closed = false;

  /** Use connectNatsBus. */
  constructor(nc: NatsConnection, topology: Topology, settings: NatsBusSettings) {
    this.#nc = nc;
    this.#topology = topology;
    this.#settings = settings;
    this.#payloads = new PayloadStore(topology.js, topology.jsm, topology.settings.replicas, settings.inlinePayloadBytes);
    this.#watchConnection().catch((err: unknown) => this.#settings.onError(asError(err)));
  }

  /** The underlying connection, for request/reply services on the same client (the oracle service). */
  get connection(): NatsConnection {
    return this.#nc;
  }

  /** Messages rejected on receipt so far (malformed, foreign, wrong version). */
  get rejected(): number {
    return this.#rejected;
  }

  // ---- run records, statuses, blobs ----

  async putRun(record: RunRecord): Promise<void> {
    this.#assertOpen('putRun');
    validateRunRecord(record, kvSubject(KvBucket.runs, record?.runId));
    const bytes = encode(record);
    await this.#retry(() => this.#topology.runs.put(record.runId, bytes));
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    this.#assertOpen('getRun');
    assertRunId(runId);
    const bytes = await this.#retry(() => latestValue(this.#topology.runs, runId));
    if (bytes === undefined) return undefined;
    return this.#decodeOrThrow(() => decodeRunRecord(bytes, kvSubject(KvBucket.runs, runId)), runId);
  }

  async putStatus(status: RunStatus): Promise<void> {
    this.#assertOpen('putStatus');
    validateRunStatus(status, kvSubject(KvBucket.status, status?.runId));
    const bytes = encode(status);
    await this.#retry(() => this.#topology.status.put(status.runId, bytes));
  }

  async getStatus(runId: string): Promise<RunStatus | undefined> {
    this.#assertOpen('getStatus');
    assertRunId(runId);
    const bytes = await this.#retry(() => latestValue(this.#topology.status, runId));
    if (bytes === undefined) return undefined;
    return this.#decodeOrThrow(() => decodeRunStatus(bytes, kvSubject(KvBucket.status, runId)), runId);
  }

  watchStatus(handler: (status: RunStatus) => void): Subscription {
    this.#assertOpen('watchStatus');
    return this.#startReader('watchStatus', async (reader) => {
      const entries: QueuedIterator<KvWatchEntry> = await this.#topology.status.watch();
      reader.halt = () => entries.stop();
      for await (const entry of entries) {
        if (reader.stopped) break;
        if (entry.operation !== 'PUT') continue;
        const subject = kvSubject(KvBucket.status, entry.key);
        let status: RunStatus;
        try {
          status = decodeRunStatus(entry.value, subject);
        } catch (err) {
          this.#reject(err, entry.key);
          continue;
        }
        this.#callHandler(() => handler(status));
      }
    });
  }

  async putBlob(name: string, bytes: Uint8Array): Promise<void> {
    this.#assertOpen('putBlob');
    checkBlobName(name);
    if (!(bytes instanceof Uint8Array)) throw new TypeError(`blob '${name}' must be a Uint8Array`);
    await this.#retry(() => this.#topology.models.putBlob({ name }, bytes));
  }

  async getBlob(name: string): Promise<Uint8Array | undefined> {
    this.#assertOpen('getBlob');
    checkBlobName(name);
    return (await this.#retry(() => this.#topology.models.getBlob(name))) ?? undefined;
  }

  // ---- tasks ----

  /**
   * Creates what workers may not create (deploy/nats/auth.conf): the streams (RELUREC_FRAGMENTS
   * with both stages' subjects) and the durable task consumer of serveTasks({ runId, ackWaitMs }),
   * `relurec-tasks` or `relurec-tasks-<runId>`, with the settings serveTasks expects (ack wait,
   * maxDeliver + 1 deliveries; an existing consumer is updated to them). Idempotent.
   * @throws BusTopologyError naming the stream or consumer that could not be created or updated
   *   (a per-run consumer and the shared one cannot both exist: a work queue takes one consumer
   *   per subject).
   */
  async prepareTopology(options?: PrepareTopologyOptions): Promise<void> {
    this.#assertOpen('prepareTopology');
    const { runId, ackWaitMs } = checkPrepareOptions(options);
    const { jsm, settings } = this.#topology;
    await this.#retry(() => ensureStreams(jsm, settings, true));
    await this.#retry(() => this.#payloads.prepare());
    this.#topology.mergedProblem = undefined;
    await this.#retry(() => ensureTaskConsumer(jsm, { runId, ackWaitMs, maxDeliver: this.#settings.policy.maxDeliver }, { mayWrite: true, strict: true }));
  }

  async publishTasks(tasks: readonly TaskMessage[]): Promise<void> {
    this.#assertOpen('publishTasks');
    if (!Array.isArray(tasks)) throw new TypeError('publishTasks takes an array of tasks');
    // All or nothing as far as validation goes: a bad task refuses the batch before any is sent.
    for (const task of tasks) validateTaskMessage(task, subjectFor('tasks', task?.runId));
    for (let start = 0; start < tasks.length; start += PUBLISH_WINDOW) {
      await Promise.all(
        tasks.slice(start, start + PUBLISH_WINDOW).map(async (task) => {
          const wire = await this.#retry(() => this.#payloads.wrap(encode(task), `${task.runId}/${task.taskId}/task`));
          const msgID = MsgId.task(task.runId, task.taskId);
          return this.#retry(() => this.#topology.js.publish(Subject.tasks(task.runId), wire.data, { msgID, headers: wire.headers }));
        }),
      );
    }
  }

  /**
   * Serves tasks from a durable pull consumer of RELUREC_TASKS: `relurec-tasks` (every run) or
   * `relurec-tasks-<runId>` (options.runId). A work queue takes one consumer per subject, so on one
   * server either every worker serves every run or each run has its own workers. The consumer is
   * the one prepareTopology made; this client creates it only when it is missing and it may (a
   * worker user may not: it waits for the coordinator), and updates its settings only when it may
   * (otherwise it serves with the consumer's ack wait and delivery limit, reported once).
   */
  serveTasks(handler: (task: TaskMessage) => Promise<FragmentMessage>, options: ServeTasksOptions): Subscription {
    this.#assertOpen('serveTasks');
    if (typeof handler !== 'function') throw new TypeError('serveTasks handler must be a function');
    const resolved = checkServeOptions(options);
    const server = new TaskServer(
      {
        js: this.#topology.js,
        jsm: this.#topology.jsm,
        policy: this.#settings.policy,
        pullExpiresMs: this.#settings.pullExpiresMs,
        publishFragment: (fragment) => this.#publishFragment(fragment),
        payload: (message) => this.#retry(() => this.#payloads.unwrap(message)),
        publishEvent: (event) => this.#publishEvent(event),
        reject: (error, runId) => this.#reject(error, runId),
        report: (error) => this.#settings.onError(error),
      },
      handler,
      resolved,
    );
    this.#servers.add(server);
    return {
      stop: async () => {
        this.#servers.delete(server);
        await server.stop();
      },
    };
  }

  // ---- fragments ----

  async publishFragment(fragment: FragmentMessage, options?: FragmentStageOptions): Promise<void> {
    this.#assertOpen('publishFragment');
    await this.#publishFragment(fragment, checkStage(options));
  }

  subscribeFragments(runId: string, handler: (fragment: FragmentMessage) => void, options?: SubscribeFragmentsOptions): Subscription {
    this.#assertOpen('subscribeFragments');
    assertRunId(runId);
    if (typeof handler !== 'function') throw new TypeError('subscribeFragments handler must be a function');
    const { stage, onReplayed } = checkSubscribeOptions(options);
    const subject = stageSubject(stage, runId);
    const cursor: OrderedCursor = { lastSeq: 0, stopped: false, interrupt: undefined };
    const { js, jsm } = this.#topology;
    let replayed = onReplayed;
    const caughtUp = (): void => {
      const call = replayed;
      replayed = undefined;
      if (call !== undefined && !cursor.stopped) this.#callHandler(call);
    };
    return this.#startReader(`subscribeFragments(${runId}${stage === Stage.merged ? ', merged' : ''})`, async (reader) => {
      reader.halt = () => {
        cursor.stopped = true;
        cursor.interrupt?.();
      };
      reader.onReconnect = () => cursor.interrupt?.();
      if (stage === Stage.merged) await ensureMergedStage(this.#topology);
      await readOrdered(
        js,
        jsm,
        StreamName.fragments,
        subject,
        cursor,
        async (message) => {
          let bytes: Uint8Array;
          try {
            bytes = await this.#retry(() => this.#payloads.unwrap(message));
          } catch (err) {
            // An unreachable store ends this read; it starts again at this message, nothing skipped.
            if (isPassing(err)) throw err;
            this.#reject(err, runId);
            return;
          }
          let fragment: FragmentMessage;
          try {
            fragment = decodeFragmentMessage(bytes, message.subject);
          } catch (err) {
            this.#reject(err, runId);
            return;
          }
          this.#callHandler(() => handler(fragment));
        },
        caughtUp,
      );
    });
  }

  // ---- heartbeats and events ----

  async publishHeartbeat(beat: Heartbeat): Promise<void> {
    this.#assertOpen('publishHeartbeat');
    validateHeartbeat(beat, Subject.heartbeat);
    this.#nc.publish(Subject.heartbeat, encode(beat));
  }

  subscribeHeartbeats(handler: (beat: Heartbeat) => void): Subscription {
    this.#assertOpen('subscribeHeartbeats');
    return this.#subscribeCore(Subject.heartbeat, (data, subject) => {
      let beat: Heartbeat;
      try {
        beat = decodeHeartbeat(data, subject);
      } catch (err) {
        this.#reject(err, '');
        return;
      }
      this.#callHandler(() => handler(beat));
    });
  }

  async publishEvent(event: RunEvent): Promise<void> {
    this.#assertOpen('publishEvent');
    await this.#publishEvent(event);
  }

  subscribeEvents(handler: (event: RunEvent) => void): Subscription {
    this.#assertOpen('subscribeEvents');
    return this.#subscribeCore(Subject.allEvents, (data, subject) => {
      let event: RunEvent;
      try {
        event = decodeRunEvent(data, subject);
      } catch (err) {
        // Counted but not announced: announcing a bad event with an event could loop.
        if (err !== undefined) this.#rejected++;
        return;
      }
      this.#callHandler(() => handler(event));
    });
  }

  /**
   * Publishes raw bytes on `subject` as a foreign or broken client would (stored by the stream when
   * the subject is a task, fragment or merged subject; no Nats-Msg-Id): nothing is checked on the
   * way out, receivers validate as usual. For tests and drills of the rejection path.
   * @throws RangeError for a subject the bus does not carry.
   */
  async publishRaw(subject: string, bytes: Uint8Array): Promise<void> {
    this.#assertOpen('publishRaw');
    const kind = parseSubject(subject)?.kind;
    if (kind === 'tasks' || kind === 'fragments' || kind === 'merged') {
      if (kind === 'merged') await ensureMergedStage(this.#topology);
      await this.#topology.js.publish(subject, bytes);
    } else if (kind === 'heartbeat' || kind === 'events') {
      this.#nc.publish(subject, bytes);
      await this.#nc.flush();
    } else {
      throw new RangeError(`publishRaw: '${subject}' is not a subject this bus carries (tasks, fragments, merged, events or heartbeat)`);
    }
  }

  /**
   * Stops every consumer (running handlers finish and publish first) and subscription, then drains
   * the connection (pending publishes and acks are sent) and closes it. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.all([...this.#servers].map((server) => server.stop()));
      this.#servers.clear();
      this.#closed = true;
      for (const reader of this.#readers) {
        reader.stopped = true;
        reader.halt?.();
      }
      await Promise.allSettled([...this.#readers].map((reader) => reader.done));
      this.#readers.clear();
      if (!this.#nc.isClosed()) {
        await this.#nc.drain().catch(() => this.#nc.close());
      }
    })();
    return this.#closing;
  }

  // ---- internals ----

  #retry<T>(operation: () => Promise<T>): Promise<T> {
    return retryPassing(operation, this.#settings.retryMs);
  }

  /** Tells readers and task servers when the connection comes back: pulls made before are lost. */
  async #watchConnection(): Promise<void> {
    for await (const status of this.#nc.status()) {
      if (status.type !== 'reconnect') continue;
      for (const reader of this.#readers) reader.onReconnect?.();
      for (const server of this.#servers) server.reconnected();
    }
  }

  #assertOpen(operation: string): void {
    if (this.#closed) throw new BusClosedError(operation);
  }

  async #publishFragment(fragment: FragmentMessage, stage: FragmentStage = Stage.raw): Promise<void> {
    validateFragmentMessage(fragment, subjectFor(stage === Stage.merged ? 'merged' : 'fragments', fragment?.runId));
    if (stage === Stage.merged) await ensureMergedStage(this.#topology);
    const wire = await this.#retry(() => this.#payloads.wrap(encode(fragment), `${fragment.runId}/${fragment.taskId}/${stage}`));
    const msgID = stageMsgId(stage, fragment.runId, fragment.taskId);
    const subject = stageSubject(stage, fragment.runId);
    await this.#retry(() => this.#topology.js.publish(subject, wire.data, { msgID, headers: wire.headers }));
  }

  async #publishEvent(event: RunEvent): Promise<void> {
    validateRunEvent(event, subjectFor('events', event?.runId));
    if (this.#nc.isClosed()) return;
    this.#nc.publish(Subject.events(event.runId), encode(event));
  }

  /** Counts a rejected message and announces it with a 'message-rejected' event. */
  #reject(error: unknown, runId: string): void {
    this.#rejected++;
    this.#publishEvent(rejectedEvent(error, runId)).catch(() => undefined);
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
      this.#settings.onError(asError(err));
    }
  }

  #subscribeCore(subject: string, receive: (data: Uint8Array, subject: string) => void): Subscription {
    const sub = this.#nc.subscribe(subject, { callback: (err, msg) => (err === null ? receive(msg.data, msg.subject) : this.#settings.onError(err)) });
    this.#subs.add(sub);
    return {
      stop: async () => {
        this.#subs.delete(sub);
        if (!sub.isClosed()) sub.unsubscribe();
      },
    };
  }

  /**
   * Runs `read` until stopped; when it fails (a server restart while setting up, a consumer gone),
   * reports the first failure of a run of them and starts it again after a pause.
   */
  #startReader(what: string, read: (reader: Reader) => Promise<void>): Subscription {
    const reader: Reader = { stopped: false, halt: undefined, onReconnect: undefined, done: Promise.resolve() };
    reader.done = (async () => {
      let failing = false;
      while (!reader.stopped) {
        try {
          await read(reader);
          failing = false;
          if (reader.stopped) return;
        } catch (err) {
          if (reader.stopped) return;
          if (!failing) this.#settings.onError(new Error(`${what}: ${asError(err).message}; retrying`, { cause: err }));
          failing = true;
        }
        await new Promise((resolve) => setTimeout(resolve, RESUBSCRIBE_PAUSE_MS));
      }
    })();
    this.#readers.add(reader);
    return {
      stop: async () => {
        reader.stopped = true;
        reader.halt?.();
        this.#readers.delete(reader);
        await reader.done;
      },
    };
  }
}

/** The value under `key`, undefined when there is none or it was deleted. */
async function latestValue(kv: KV, key: string): Promise<Uint8Array | undefined> {
  const entry = await kv.get(key);
  if (entry === null || entry.operation !== 'PUT') return undefined;
  return entry.value;
}

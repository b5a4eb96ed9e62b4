import { performance } from 'node:perf_hooks';
import type { Consumer, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { FragmentMessage, RunEvent, TaskMessage } from '@relurec/protocol';
import { decodeTaskMessage, parseSubject, StreamName } from '@relurec/protocol';
import { BusTopologyError } from '../../../errors/BusTopologyError.js';
import { failedEvent, retryEvent } from '../../../internal/busEvents.js';
import type { ResolvedServeOptions } from '../../../internal/checkServeOptions.js';
import { checkFragmentAnswers, failureFragment } from '../../../internal/failureFragment.js';
import { asError } from '../../../internal/reportError.js';
import type { TaskPolicy } from '../../../internal/TaskPolicy.js';
import { retryDelay } from '../../../internal/TaskPolicy.js';
import { isPassing } from './retryPassing.js';
import type { TaskConsumerState } from './taskConsumer.js';
import { ensureTaskConsumer, taskConsumerName } from './taskConsumer.js';

/** What a TaskServer needs from its bus. */
export interface TaskServerHost {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly policy: TaskPolicy;
  readonly pullExpiresMs: number;
  publishFragment(fragment: FragmentMessage): Promise<void>;
  /** The message's bytes: its body or the stored payload it refers to (PayloadStore). */
  payload(message: JsMsg): Promise<Uint8Array>;
  publishEvent(event: RunEvent): Promise<void>;
  /** Counts and announces a rejected message. */
  reject(error: unknown, runId: string): void;
  report(error: Error): void;
}

/** Pause after a failed pull or consumer lookup before the next try, ms. */
const RETRY_PAUSE_MS = 250;
/** Pause while the consumer does not exist yet and this client may not create it, ms. */
const MISSING_PAUSE_MS = 1000;

/**
 * One serveTasks call on JetStream: `concurrency` loops, each pulling one task at a time from a
 * durable pull consumer of RELUREC_TASKS (explicit acks, ack_wait = ackWaitMs), so a worker never
 * holds a task it has no thread for (a loop pulls again once its handler has a result, while that
 * result's fragment is still being published). While a handler runs, progress acks (`working`) every third
 * of ackWaitMs keep the task from being redelivered; a worker that dies stops sending them and the
 * task goes to another consumer after ackWaitMs. The fragment is published (Nats-Msg-Id
 * `${runId}/${taskId}/fragment`) before the task is acked. A handler that throws gets a nak with a
 * growing delay; after maxDeliver attempts a failure fragment is published and the task terminated.
 * The server allows maxDeliver + 1 deliveries: the extra one comes only when the last attempt's
 * worker died, and it publishes the failure fragment without running the task again.
 *
 * The consumer is the one the coordinator prepared (bus.prepareTopology): it is looked up, not
 * created. Only when it is missing, or its settings differ, does the server try to create or update
 * it, and a refusal by the server's permissions (a worker user) stops that: a missing consumer is
 * waited for, an existing one is served as it is, with its own ack wait and delivery limit.
 */
export class TaskServer {
  readonly #host: TaskServerHost;
  readonly #handler: (task: TaskMessage) => Promise<FragmentMessage>;
  readonly #options: ResolvedServeOptions;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #loops: Promise<void>[] = [];
  /** Abandons the pulls now waiting (each loop makes a new one). */
  readonly #abandon = new Set<() => void>();
  #consumer: Promise<Consumer> | undefined;
  /** Settings of the consumer as found on the server (they rule: ack wait, deliveries). */
  #state: TaskConsumerState | undefined;
  /** False once the server refused to let this client create or update the consumer. */
  #mayWrite = true;
  #mismatchReported = false;
  #stopped = false;
  #failing = false;

  constructor(host: TaskServerHost, handler: (task: TaskMessage) => Promise<FragmentMessage>, options: ResolvedServeOptions) {
    this.#host = host;
    this.#handler = handler;
    this.#options = options;
    for (let i = 0; i < options.concurrency; i++) {
      this.#loops.push(this.#loop().catch((err: unknown) => this.#host.report(asError(err))));
    }
  }

  /** Name of the durable consumer: one shared by every worker, or one per run. */
  get consumerName(): string {
    return taskConsumerName(this.#options.runId);
  }

  /** Attempts of a task: the policy's, or what the consumer's delivery limit allows. */
  get #maxDeliver(): number {
    const serverMax = this.#state?.maxDeliver ?? -1;
    // The server keeps one delivery for a worker that died on the last attempt (see above).
    return serverMax >= 1 ? Math.min(this.#host.policy.maxDeliver, Math.max(1, serverMax - 1)) : this.#host.policy.maxDeliver;
  }

  /** Milliseconds before an unacknowledged task is redelivered: the consumer's, as it is. */
  get #ackWaitMs(): number {
    return this.#state?.ackWaitMs ?? this.#options.ackWaitMs;
  }

  /** The connection is back after a loss: pulls made before it are gone with the old server connection. */
  reconnected(): void {
    for (const abandon of this.#abandon) abandon();
  }

  /**
   * Takes no new task and resolves when the running handlers have finished (their fragments
   * published). A pull still waiting on the server is left to expire; a task it brings is nak'ed
   * at once for another consumer.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#inFlight);
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      let message: JsMsg | null;
      try {
        const consumer = await this.#ensureConsumer();
        message = await this.#next(consumer);
        this.#failing = false;
      } catch (err) {
        if (this.#stopped) return;
        // Look the consumer up again: it may be gone (deleted, or lost with a memory-only server).
        this.#consumer = undefined;
        this.#reportOnce(err);
        await sleep(err instanceof BusTopologyError ? MISSING_PAUSE_MS : RETRY_PAUSE_MS);
        continue;
      }
      if (message === null) continue;
      if (this.#stopped) {
        quietly(() => message.nak());
        return;
      }
      // The next pull starts once this task's result is computed, while its fragment is published
      // and the task acked: the thread is free then, and the two round trips overlap.
      let computed: () => void = () => undefined;
      const threadFree = new Promise<void>((resolve) => (computed = resolve));
      const run: Promise<void> = this.#handle(message, computed)
        .catch((err: unknown) => this.#host.report(asError(err)))
        .finally(() => {
          computed();
          this.#inFlight.delete(run);
        });
      this.#inFlight.add(run);
      await threadFree;
    }
  }

  /** One pull; guarded so that a pull lost in a reconnect cannot hang the loop. */
  async #next(consumer: Consumer): Promise<JsMsg | null> {
    const expires = this.#host.pullExpiresMs;
    const pull = consumer.next({ expires });
    let timer: NodeJS.Timeout | undefined;
    let abandon: () => void = () => undefined;
    const guard = new Promise<'lost'>((resolve) => {
      abandon = () => resolve('lost');
      timer = setTimeout(abandon, expires + 10_000);
    });
    this.#abandon.add(abandon);
    const result = await Promise.race([pull, guard]).finally(() => {
      clearTimeout(timer);
      this.#abandon.delete(abandon);
    });
    if (result === 'lost') {
      // A late answer of the abandoned pull goes back to the queue at once.
      pull.then((m) => m !== null && quietly(() => m.nak()), () => undefined);
      return null;
    }
    return result;
  }

  /** Runs one task; `computed` is called once the handler has its result (or has failed). */
  async #handle(message: JsMsg, computed: () => void): Promise<void> {
    const maxDeliver = this.#maxDeliver;
    const attempt = message.info.deliveryCount;
    let task: TaskMessage;
    let bytes: Uint8Array;
    try {
      bytes = await this.#host.payload(message);
    } catch (err) {
      if (isPassing(err)) {
        // The store is unreachable for now (a server restart outlasting the retries): try later.
        quietly(() => message.nak(RETRY_PAUSE_MS));
        return;
      }
      this.#host.reject(err, parseSubject(message.subject)?.runId ?? '');
      quietly(() => message.term('payload missing'));
      return;
    }
    try {
      task = decodeTaskMessage(bytes, message.subject);
    } catch (err) {
      this.#host.reject(err, parseSubject(message.subject)?.runId ?? '');
      quietly(() => message.term('malformed task'));
      return;
    }
    if (attempt > maxDeliver) {
      const lost = new Error(`task delivered ${attempt - 1} times without an answer: the workers running it died or lost their connection`);
      lost.name = 'TaskLostError';
      await this.#giveUp(message, task, lost, 0, attempt - 1);
      return;
    }
    // A progress ack on a closed connection throws; the task then comes back after ackWait anyway.
    const keepAlive = setInterval(() => quietly(() => message.working()), Math.max(50, Math.floor(this.#ackWaitMs / 3)));
    const started = performance.now();
    try {
      const fragment = await this.#handler(task).finally(computed);
      checkFragmentAnswers(fragment, task);
      await this.#host.publishFragment(fragment);
      quietly(() => message.ack());
    } catch (err) {
      const seconds = (performance.now() - started) / 1000;
      if (attempt >= maxDeliver) {
        await this.#giveUp(message, task, err, seconds, attempt);
      } else {
        const delayMs = retryDelay(this.#host.policy, attempt);
        quietly(() => message.nak(delayMs));
        await this.#host.publishEvent(retryEvent(task, err, attempt, maxDeliver, delayMs)).catch(() => undefined);
      }
    } finally {
      clearInterval(keepAlive);
    }
  }

  /** Publishes the failure fragment and terminates the task; if that fails, the task comes back. */
  async #giveUp(message: JsMsg, task: TaskMessage, error: unknown, seconds: number, attempts: number): Promise<void> {
    try {
      await this.#host.publishFragment(failureFragment(task, error, this.#host.policy.workerId, seconds));
      quietly(() => message.term('attempts spent'));
    } catch (err) {
      quietly(() => message.nak(this.#host.policy.retryDelayMs));
      throw err;
    }
    await this.#host.publishEvent(failedEvent(task, error, attempts)).catch(() => undefined);
  }

  #ensureConsumer(): Promise<Consumer> {
    this.#consumer ??= this.#createConsumer().catch((err: unknown) => {
      this.#consumer = undefined;
      throw err;
    });
    return this.#consumer;
  }

  async #createConsumer(): Promise<Consumer> {
    const { jsm, js, policy } = this.#host;
    const state = await ensureTaskConsumer(
      jsm,
      { runId: this.#options.runId, ackWaitMs: this.#options.ackWaitMs, maxDeliver: policy.maxDeliver },
      { mayWrite: this.#mayWrite, strict: false, onRefused: () => (this.#mayWrite = false) },
    );
    this.#state = state;
    if (state.mismatch !== undefined && !this.#mismatchReported) {
      this.#mismatchReported = true;
      this.#host.report(
        new Error(
          `serveTasks (${state.name}): ${state.mismatch}, and this client may not change it: ` +
            `serving with the consumer's settings (${state.ackWaitMs} ms ack wait, ${this.#maxDeliver} attempts)`,
        ),
      );
    }
    return js.consumers.get(StreamName.tasks, state.name);
  }

  /** Reports the first error of a run of failures; the loops retry until one succeeds. */
  #reportOnce(error: unknown): void {
    if (this.#failing) return;
    this.#failing = true;
    const err = asError(error);
    this.#host.report(new Error(`serveTasks (${this.consumerName}): ${err.message}; retrying every ${RETRY_PAUSE_MS} ms`, { cause: err }));
  }
}

/** Runs an ack-like call whose failure (a closed connection) changes nothing: the server redelivers. */
function quietly(call: () => void): void {
  try {
    call();
  } catch {
    // the task comes back after ackWait
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

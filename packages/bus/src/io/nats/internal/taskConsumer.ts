import type { ConsumerConfig, JetStreamManager } from '@nats-io/jetstream';
import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { millis, nanos } from '@nats-io/transport-node';
import { StreamName, Subject } from '@relurec/protocol';
import { BusTopologyError } from '../../../errors/BusTopologyError.js';

/** The server's default ack wait (30 s, in nanoseconds), for a config that does not say. */
const DEFAULT_ACK_WAIT = nanos(30_000);

/** What a durable task consumer is for: every run or one, and the settings its workers serve with. */
export interface TaskConsumerSpec {
  /** Only this run's tasks (`relurec-tasks-<runId>`); undefined: every run (`relurec-tasks`). */
  readonly runId: string | undefined;
  readonly ackWaitMs: number;
  /** Attempts of a task (the bus policy); the server allows one more delivery (see TaskServer). */
  readonly maxDeliver: number;
}

/** A task consumer as it is on the server. */
export interface TaskConsumerState {
  readonly name: string;
  /** Milliseconds a delivered task may stay unacknowledged. */
  readonly ackWaitMs: number;
  /** Deliveries the server makes at most (-1: unlimited). */
  readonly maxDeliver: number;
  /**
   * Set when the consumer's settings differ from the spec and this client could not change them
   * (a worker without the right to update consumers): what differs. The consumer is used as it is.
   */
  readonly mismatch: string | undefined;
}

/** Name of the durable consumer: one shared by every worker, or one per run. */
export function taskConsumerName(runId: string | undefined): string {
  return runId === undefined ? 'relurec-tasks' : `relurec-tasks-${runId}`;
}

/** The configuration prepareTopology creates and serveTasks expects. */
export function taskConsumerConfig(spec: TaskConsumerSpec): Partial<ConsumerConfig> {
  return {
    durable_name: taskConsumerName(spec.runId),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(spec.ackWaitMs),
    max_deliver: spec.maxDeliver + 1,
    filter_subject: spec.runId === undefined ? Subject.allTasks : Subject.tasks(spec.runId),
    max_ack_pending: -1,
  };
}

/** True for a refusal by the server's authorization (the client may not make this request). */
export function isPermissionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.name === 'PermissionViolationError' || /permissions? violation/i.test(err.message);
}

/**
 * Makes sure the durable task consumer of `spec` exists with its settings.
 * - `mayWrite` (the coordinator's prepareTopology; a worker until refused): creates a missing
 *   consumer and updates one whose ack wait or delivery limit differ.
 * - a refusal by the server's permissions is not an error when the consumer exists: it is used as
 *   it is (`mismatch` says what differs); when it is missing, a BusTopologyError asks for the
 *   coordinator. `onRefused` is told, so that the caller stops trying to write.
 * @throws BusTopologyError (resource = the consumer name) when it is missing and cannot be created,
 *   or cannot be updated and `strict`; other errors of the lookup as they are.
 */
export async function ensureTaskConsumer(
  jsm: JetStreamManager,
  spec: TaskConsumerSpec,
  options: { mayWrite: boolean; strict: boolean; onRefused?: () => void },
): Promise<TaskConsumerState> {
  const name = taskConsumerName(spec.runId);
  const config = taskConsumerConfig(spec);
  let existing: ConsumerConfig | undefined;
  try {
    existing = (await jsm.consumers.info(StreamName.tasks, name)).config;
  } catch (err) {
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound)) throw err;
  }
  if (existing === undefined) {
    if (!options.mayWrite) throw missingConsumer(name, undefined);
    try {
      const created = (await jsm.consumers.add(StreamName.tasks, config)).config;
      return state(name, created, undefined);
    } catch (err) {
      if (isPermissionError(err)) {
        options.onRefused?.();
        throw missingConsumer(name, err);
      }
      throw consumerError(`could not create consumer ${name} on ${StreamName.tasks}`, name, err);
    }
  }
  if (existing.ack_wait === config.ack_wait && existing.max_deliver === config.max_deliver) return state(name, existing, undefined);
  const mismatch =
    `consumer ${name} has ack_wait ${millis(existing.ack_wait ?? DEFAULT_ACK_WAIT)} ms and max_deliver ${existing.max_deliver}, ` +
    `not ${spec.ackWaitMs} ms and ${config.max_deliver!}`;
  if (options.mayWrite) {
    try {
      const updated = (await jsm.consumers.update(StreamName.tasks, name, { ack_wait: config.ack_wait!, max_deliver: config.max_deliver! })).config;
      return state(name, updated, undefined);
    } catch (err) {
      if (isPermissionError(err)) options.onRefused?.();
      if (options.strict) throw consumerError(`could not update consumer ${name} on ${StreamName.tasks}`, name, err);
    }
  }
  return state(name, existing, mismatch);
}

function state(name: string, config: ConsumerConfig, mismatch: string | undefined): TaskConsumerState {
  return { name, ackWaitMs: millis(config.ack_wait ?? DEFAULT_ACK_WAIT), maxDeliver: config.max_deliver ?? -1, mismatch };
}

function missingConsumer(name: string, cause: unknown): BusTopologyError {
  return new BusTopologyError(
    `consumer ${name} does not exist on ${StreamName.tasks} and this client may not create it: ` +
      'the coordinator creates it (bus.prepareTopology()); waiting for it',
    name,
    cause === undefined ? undefined : { cause },
  );
}

function consumerError(what: string, name: string, err: unknown): BusTopologyError {
  // 10100: a work-queue stream takes one consumer per subject.
  const overlap = err instanceof JetStreamApiError && err.code === 10100;
  return new BusTopologyError(
    `${what}: ${(err as Error).message}` +
      (overlap ? ' (serving every run and serving one run cannot be mixed on one server: a work queue takes one consumer per subject)' : ''),
    name,
    { cause: err },
  );
}

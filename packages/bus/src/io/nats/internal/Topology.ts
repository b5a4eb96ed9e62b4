import type { JetStreamClient, JetStreamManager, StreamConfig } from '@nats-io/jetstream';
import { jetstream, jetstreamManager, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { Kvm } from '@nats-io/kv';
import type { ObjectStore } from '@nats-io/obj';
import { Objm } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';
import { nanos } from '@nats-io/transport-node';
import { KvBucket, ObjectStoreName, StreamName, Subject } from '@relurec/protocol';
import { BusTopologyError } from '../../../errors/BusTopologyError.js';

/** The JetStream handles a NatsBus works with. */
export interface Topology {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly runs: KV;
  readonly status: KV;
  readonly models: ObjectStore;
  readonly settings: TopologySettings;
  /**
   * Undefined when RELUREC_FRAGMENTS captures the merged stage (`relurec.*.merged`); otherwise why
   * not (an older stream this client may not update). Cleared by ensureFragmentSubjects.
   */
  mergedProblem: string | undefined;
}

/** What ensureTopology creates missing resources with. */
export interface TopologySettings {
  readonly replicas: number;
  readonly duplicateWindowMs: number;
  /** Timeout of each JetStream API request and publish ack, ms. */
  readonly requestTimeoutMs: number;
}

/**
 * Opens the streams, buckets and object store of a relurec cluster, creating each one that is
 * missing (file storage, `replicas` copies). Idempotent: existing resources are used as they are,
 * after a check that RELUREC_TASKS is a work queue; a RELUREC_FRAGMENTS of an older version (raw
 * subjects only) gets the merged subjects added when this client may update it (otherwise the
 * merged stage is refused until a client that may has done it). A client without the right to
 * create (a worker user) works as long as the resources exist.
 * @throws BusTopologyError naming the resource that is missing, cannot be created or is incompatible.
 */
export async function ensureTopology(nc: NatsConnection, settings: TopologySettings): Promise<Topology> {
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc, { timeout: settings.requestTimeoutMs });
  } catch (err) {
    throw new BusTopologyError(`JetStream is not available on the server (start nats-server with JetStream enabled, -js): ${(err as Error).message}`, 'JetStream', { cause: err });
  }
  const js = jetstream(nc, { timeout: settings.requestTimeoutMs });
  const mergedProblem = await ensureStreams(jsm, settings, false);
  const kvm = new Kvm(js);
  const [runs, status] = await Promise.all(
    [KvBucket.runs, KvBucket.status].map((bucket) =>
      openOrCreate(jsm, `KV_${bucket}`, bucket, () => kvm.open(bucket), () =>
        kvm.create(bucket, { history: 1, storage: StorageType.File, replicas: settings.replicas }),
      ),
    ),
  );
  const objm = new Objm(js);
  const models = await openOrCreate(jsm, `OBJ_${ObjectStoreName.models}`, ObjectStoreName.models, () => objm.open(ObjectStoreName.models), () =>
    objm.create(ObjectStoreName.models, { storage: StorageType.File, replicas: settings.replicas }),
  );
  return { js, jsm, runs: runs!, status: status!, models, settings, mergedProblem };
}

/**
 * Creates RELUREC_TASKS and RELUREC_FRAGMENTS when missing and adds missing subjects to an existing
 * one. With `required`, a subject that cannot be added throws; otherwise it is returned as the
 * reason the merged stage is unavailable (undefined when all is well).
 * @throws BusTopologyError when a stream is missing and cannot be created, or is incompatible.
 */
export async function ensureStreams(jsm: JetStreamManager, settings: TopologySettings, required: boolean): Promise<string | undefined> {
  const streamDefaults = {
    storage: StorageType.File,
    num_replicas: settings.replicas,
    duplicate_window: nanos(settings.duplicateWindowMs),
  };
  await ensureStream(jsm, { name: StreamName.tasks, subjects: [Subject.allTasks], retention: RetentionPolicy.Workqueue, ...streamDefaults }, required);
  return ensureStream(
    jsm,
    { name: StreamName.fragments, subjects: [Subject.allFragments, Subject.allMerged], retention: RetentionPolicy.Limits, ...streamDefaults },
    required,
  );
}

/**
 * Makes sure RELUREC_FRAGMENTS captures the merged stage: looks again (another client may have
 * updated it) and adds the subject when this client may.
 * @throws BusTopologyError saying what to do when it still does not.
 */
export async function ensureMergedStage(topology: Topology): Promise<void> {
  if (topology.mergedProblem === undefined) return;
  const problem = await ensureStream(
    topology.jsm,
    { name: StreamName.fragments, subjects: [Subject.allFragments, Subject.allMerged], retention: RetentionPolicy.Limits },
    false,
    false,
  );
  topology.mergedProblem = problem;
  if (problem !== undefined) {
    throw new BusTopologyError(
      `stream ${StreamName.fragments} does not capture the merged stage (${Subject.allMerged}): ${problem}. ` +
        'Connect a client that may update the stream (the coordinator, bus.prepareTopology()) to add it.',
      StreamName.fragments,
    );
  }
}

/**
 * Creates the stream when it is missing (when `create`), checks its retention, and adds the
 * subjects of `config` that it does not capture.
 * @returns undefined when the stream captures every subject, else why a subject could not be added
 *   (only when not `required`).
 */
async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string; subjects: string[] }, required: boolean, create = true): Promise<string | undefined> {
  const existing = await streamInfo(jsm, config.name);
  if (existing === undefined) {
    if (!create) return `stream ${config.name} does not exist`;
    try {
      await jsm.streams.add(config);
      return undefined;
    } catch (err) {
      throw new BusTopologyError(
        `could not create stream ${config.name} (replicas ${config.num_replicas}): ${(err as Error).message}`,
        config.name,
        { cause: err },
      );
    }
  }
  if (existing.retention !== config.retention) {
    throw new BusTopologyError(
      `stream ${config.name} exists with retention '${existing.retention}'; relurec needs '${config.retention}' (delete the stream or use another server)`,
      config.name,
    );
  }
  const have = existing.subjects ?? [];
  const missing = config.subjects.filter((subject) => !have.some((pattern) => subjectCovers(pattern, subject)));
  if (missing.length === 0) return undefined;
  try {
    await jsm.streams.update(config.name, { subjects: [...have, ...missing] });
    return undefined;
  } catch (err) {
    const problem = `could not add ${missing.join(', ')} to the subjects of stream ${config.name}: ${(err as Error).message}`;
    if (required) throw new BusTopologyError(problem, config.name, { cause: err });
    return problem;
  }
}

/** True when every subject `subject` stands for (it may hold wildcards) matches `pattern`. */
export function subjectCovers(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (p[i] === '*') {
      if (s[i] === '>') return false;
      continue;
    }
    if (p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}

async function openOrCreate<T>(jsm: JetStreamManager, stream: string, name: string, open: () => Promise<T>, create: () => Promise<T>): Promise<T> {
  const exists = (await streamInfo(jsm, stream)) !== undefined;
  try {
    return exists ? await open() : await create();
  } catch (err) {
    throw new BusTopologyError(`could not ${exists ? 'open' : 'create'} ${name}: ${(err as Error).message}`, name, { cause: err });
  }
}

/** A stream's config, undefined when there is no such stream. */
async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamConfig | undefined> {
  try {
    return (await jsm.streams.info(name)).config;
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) return undefined;
    throw new BusTopologyError(`could not look up stream ${name}: ${(err as Error).message}`, name, { cause: err });
  }
}

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
 * after a check that RELUREC_TASKS is a work queue. A client without the right to create (a worker
 * user) works as long as the resources exist.
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
  const streamDefaults = {
    storage: StorageType.File,
    num_replicas: settings.replicas,
    duplicate_window: nanos(settings.duplicateWindowMs),
  };
  await ensureStream(jsm, { name: StreamName.tasks, subjects: [Subject.allTasks], retention: RetentionPolicy.Workqueue, ...streamDefaults });
  await ensureStream(jsm, { name: StreamName.fragments, subjects: [Subject.allFragments], retention: RetentionPolicy.Limits, ...streamDefaults });
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
  return { js, jsm, runs: runs!, status: status!, models };
}

async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  const existing = await streamInfo(jsm, config.name);
  if (existing === undefined) {
    try {
      await jsm.streams.add(config);
      return;
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

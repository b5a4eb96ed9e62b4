import { connect } from '@nats-io/transport-node';
import { BusConnectionError } from '../../errors/BusConnectionError.js';
import { checkInteger } from '../../internal/checkOption.js';
import { warnError } from '../../internal/reportError.js';
import { resolveTaskPolicy } from '../../internal/TaskPolicy.js';
import { connectionOptions, serverList } from './internal/connectionOptions.js';
import { ensureTopology } from './internal/Topology.js';
import { NatsBus } from './NatsBus.js';
import type { NatsBusOptions } from './NatsBusOptions.js';

/** Room left in a message for its subject and headers, bytes. */
const HEADROOM_BYTES = 16 * 1024;

/**
 * Connects to NATS and returns the cluster-mode bus. Creates the streams RELUREC_TASKS (work queue)
 * and RELUREC_FRAGMENTS, the KV buckets relurec-runs and relurec-status and the object store
 * relurec-models when they are missing (the payload store relurec-payloads is made by
 * prepareTopology or on first use) (file storage, `replicas` copies; existing ones are used as
 * they are).
 * @throws TypeError or RangeError naming a bad option; BusConnectionError when no server accepts
 *   the connection (unreachable, bad credentials, TLS); BusTopologyError when JetStream is off or a
 *   resource cannot be created or is incompatible.
 */
export async function connectNatsBus(options: NatsBusOptions = {}): Promise<NatsBus> {
  if (typeof options !== 'object' || options === null) throw new TypeError('connectNatsBus options must be an object');
  const policy = resolveTaskPolicy(options);
  checkInteger(options.replicas, 'options.replicas', 1);
  checkInteger(options.pullExpiresMs, 'options.pullExpiresMs', 1000);
  checkInteger(options.reconnectTimeWaitMs, 'options.reconnectTimeWaitMs', 0);
  checkInteger(options.retryMs, 'options.retryMs', 0);
  checkInteger(options.requestTimeoutMs, 'options.requestTimeoutMs', 100);
  checkInteger(options.inlinePayloadBytes, 'options.inlinePayloadBytes', 1);
  if (options.onError !== undefined && typeof options.onError !== 'function') throw new TypeError('options.onError must be a function');
  const servers = serverList(options);
  const connectOptions = await connectionOptions(options, servers);

  let nc;
  try {
    nc = await connect(connectOptions);
  } catch (err) {
    throw new BusConnectionError(`could not connect to NATS at ${servers.join(', ')}: ${(err as Error).message}`, servers, { cause: err });
  }
  try {
    const topology = await ensureTopology(nc, {
      replicas: options.replicas ?? 1,
      duplicateWindowMs: policy.duplicateWindowMs,
      requestTimeoutMs: options.requestTimeoutMs ?? 5000,
    });
    return new NatsBus(nc, topology, {
      policy,
      pullExpiresMs: options.pullExpiresMs ?? 5000,
      retryMs: options.retryMs ?? 60_000,
      onError: options.onError ?? warnError,
      inlinePayloadBytes: options.inlinePayloadBytes ?? Math.max(1024, (nc.info?.max_payload ?? 1024 * 1024) - HEADROOM_BYTES),
    });
  } catch (err) {
    await nc.close().catch(() => undefined);
    throw err;
  }
}

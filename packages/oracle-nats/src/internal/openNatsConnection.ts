import { connect, type NatsConnection } from '@nats-io/transport-node';
import { BusConnectionError, natsConnectionOptions, natsServerList } from '@relurec/bus';
import type { NatsConnectionOptions } from '../NatsConnectionOptions.js';

/**
 * Opens a NATS connection the way the bus does (connectNatsBus): one kind of credentials, TLS
 * files, and a client that reconnects forever (every reconnectTimeWaitMs, default 1000 ms) so that
 * subscriptions come back after a server restart.
 * @throws TypeError naming a bad option; BusConnectionError when no server accepts the connection
 */
export async function openNatsConnection(options: NatsConnectionOptions, defaultClientName: string): Promise<NatsConnection> {
  const servers = natsServerList(options);
  const reconnect = options.reconnectTimeWaitMs ?? 1000;
  if (!Number.isSafeInteger(reconnect) || reconnect < 0) {
    throw new RangeError(`options.reconnectTimeWaitMs must be a non-negative integer, got ${options.reconnectTimeWaitMs}`);
  }
  if (options.clientName !== undefined && (typeof options.clientName !== 'string' || options.clientName.length === 0)) {
    throw new TypeError('options.clientName must be a non-empty string');
  }
  // The bus's own connection options: the same credentials, TLS and reconnect rules as every client.
  const connectOptions = await natsConnectionOptions({ ...options, name: options.clientName ?? defaultClientName }, servers);
  try {
    return await connect(connectOptions);
  } catch (err) {
    throw new BusConnectionError(`could not connect to NATS at ${servers.join(', ')}: ${(err as Error).message}`, servers, { cause: err });
  }
}

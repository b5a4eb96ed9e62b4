import { readFile } from 'node:fs/promises';
import { connect, credsAuthenticator, nkeyAuthenticator, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import { BusConnectionError } from '@relurec/bus';
import type { NatsConnectionOptions } from '../NatsConnectionOptions.js';

/**
 * Opens a NATS connection the way the bus does (connectNatsBus): one kind of credentials, TLS
 * files, and a client that reconnects forever (every reconnectTimeWaitMs, default 1000 ms) so that
 * subscriptions come back after a server restart.
 * @throws TypeError naming a bad option; BusConnectionError when no server accepts the connection
 */
export async function openNatsConnection(options: NatsConnectionOptions, defaultClientName: string): Promise<NatsConnection> {
  const servers = serverList(options);
  const connectOptions = await connectionOptions(options, servers, defaultClientName);
  try {
    return await connect(connectOptions);
  } catch (err) {
    throw new BusConnectionError(`could not connect to NATS at ${servers.join(', ')}: ${(err as Error).message}`, servers, { cause: err });
  }
}

function serverList(options: NatsConnectionOptions): string[] {
  const servers = options.servers ?? 'nats://127.0.0.1:4222';
  const list = typeof servers === 'string' ? [servers] : Array.isArray(servers) ? [...(servers as readonly string[])] : [];
  if (list.length === 0 || list.some((s) => typeof s !== 'string' || s.length === 0)) {
    throw new TypeError(`options.servers must be a URL or a non-empty list of URLs (got ${JSON.stringify(options.servers)})`);
  }
  return list;
}

async function connectionOptions(options: NatsConnectionOptions, servers: string[], defaultClientName: string): Promise<NodeConnectionOptions> {
  const methods = (['user', 'token', 'nkeySeed', 'credsFile'] as const).filter((key) => options[key] !== undefined);
  if (methods.length > 1) {
    throw new TypeError(`options: give one kind of credentials: user/pass, token, nkeySeed or credsFile (got ${methods.join(' and ')})`);
  }
  if (options.pass !== undefined && options.user === undefined) throw new TypeError('options.pass is given without options.user');
  for (const key of ['user', 'pass', 'token', 'nkeySeed', 'credsFile', 'clientName'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || value.length === 0)) {
      throw new TypeError(`options.${key} must be a non-empty string`);
    }
  }
  const reconnectTimeWait = options.reconnectTimeWaitMs ?? 1000;
  if (!Number.isSafeInteger(reconnectTimeWait) || reconnectTimeWait < 0) {
    throw new RangeError(`options.reconnectTimeWaitMs must be a non-negative integer, got ${options.reconnectTimeWaitMs}`);
  }
  const result: NodeConnectionOptions = {
    servers,
    name: options.clientName ?? defaultClientName,
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait,
  };
  if (options.user !== undefined) {
    result.user = options.user;
    if (options.pass !== undefined) result.pass = options.pass;
  }
  if (options.token !== undefined) result.token = options.token;
  if (options.nkeySeed !== undefined) result.authenticator = nkeyAuthenticator(new TextEncoder().encode(options.nkeySeed.trim()));
  if (options.credsFile !== undefined) {
    let creds: Uint8Array;
    try {
      creds = await readFile(options.credsFile);
    } catch (err) {
      throw new BusConnectionError(`could not read options.credsFile '${options.credsFile}': ${(err as Error).message}`, servers, { cause: err });
    }
    result.authenticator = credsAuthenticator(creds);
  }
  if (options.tls !== undefined) {
    const { caFile, certFile, keyFile } = options.tls;
    if ((certFile === undefined) !== (keyFile === undefined)) {
      throw new TypeError('options.tls.certFile and options.tls.keyFile go together');
    }
    result.tls = {
      ...(caFile === undefined ? {} : { caFile }),
      ...(certFile === undefined ? {} : { certFile }),
      ...(keyFile === undefined ? {} : { keyFile }),
    };
  }
  return result;
}

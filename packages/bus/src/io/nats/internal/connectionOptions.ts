import { readFile } from 'node:fs/promises';
import type { NodeConnectionOptions } from '@nats-io/transport-node';
import { credsAuthenticator, nkeyAuthenticator } from '@nats-io/transport-node';
import { BusConnectionError } from '../../../errors/BusConnectionError.js';
import type { NatsBusOptions } from '../NatsBusOptions.js';

/** The server list of the options (default the local server). */
export function serverList(options: NatsBusOptions): string[] {
  const servers = options.servers ?? 'nats://127.0.0.1:4222';
  const list = typeof servers === 'string' ? [servers] : [...servers];
  if (list.length === 0 || list.some((s) => typeof s !== 'string' || s.length === 0)) {
    throw new TypeError(`options.servers must be a URL or a non-empty list of URLs (got ${JSON.stringify(options.servers)})`);
  }
  return list;
}

/**
 * nats.js connection options from bus options: one kind of credentials, TLS files, a client that
 * reconnects forever (every reconnectTimeWaitMs) so that consumers resume after a server restart.
 */
export async function connectionOptions(options: NatsBusOptions, servers: string[]): Promise<NodeConnectionOptions> {
  const methods = (['user', 'token', 'nkeySeed', 'credsFile'] as const).filter((key) => options[key] !== undefined);
  if (methods.length > 1) {
    throw new TypeError(`options: give one kind of credentials: user/pass, token, nkeySeed or credsFile (got ${methods.join(' and ')})`);
  }
  if (options.pass !== undefined && options.user === undefined) throw new TypeError('options.pass is given without options.user');
  for (const key of ['user', 'pass', 'token', 'nkeySeed', 'credsFile', 'name'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || value.length === 0)) {
      throw new TypeError(`options.${key} must be a non-empty string`);
    }
  }
  const result: NodeConnectionOptions = {
    servers,
    name: options.name ?? 'relurec',
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: options.reconnectTimeWaitMs ?? 1000,
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

import type { NatsBusOptions } from '@relurec/bus';

/**
 * How to reach the NATS cluster: the connection part of the bus options (same fields, same rules:
 * at most one of user/pass, token, nkeySeed, credsFile; TLS files). Other bus options given along
 * (a worker passes its whole bus options) are ignored.
 */
export interface NatsConnectionOptions
  extends Pick<NatsBusOptions, 'servers' | 'user' | 'pass' | 'token' | 'nkeySeed' | 'credsFile' | 'tls' | 'reconnectTimeWaitMs'> {
  /** Client name shown in the server's monitoring. Default 'relurec-oracle' (service) or 'relurec-oracle-client'. */
  readonly clientName?: string;
}

import type { TaskPolicyOptions } from '../../internal/TaskPolicy.js';

/** Files of a TLS setup (PEM). Giving any of them requires TLS. */
export interface NatsTlsOptions {
  /** CA certificate that signed the server's certificate. */
  readonly caFile?: string;
  /** Client certificate, when the server verifies clients. */
  readonly certFile?: string;
  /** Key of the client certificate. */
  readonly keyFile?: string;
}

/**
 * How to reach a NATS cluster and how the bus behaves on it. Credentials: at most one of user/pass,
 * token, nkeySeed, credsFile.
 */
export interface NatsBusOptions extends TaskPolicyOptions {
  /** Server URLs (`nats://host:4222`, `tls://host:4222`, `host:port`); list several nodes of a cluster. Default `nats://127.0.0.1:4222`. */
  readonly servers?: string | readonly string[];
  /** User name (with `pass`). */
  readonly user?: string;
  readonly pass?: string;
  /** Authentication token. */
  readonly token?: string;
  /** NKey seed text ('SU...'), as printed by `nk -gen user`. */
  readonly nkeySeed?: string;
  /** Path of a `.creds` file (user JWT and seed). */
  readonly credsFile?: string;
  readonly tls?: NatsTlsOptions;
  /** Client name shown in the server's monitoring. Default 'relurec'. */
  readonly name?: string;
  /** Replicas of the streams, buckets and object store this client creates (existing ones are kept). Default 1; 3 on a 3-node cluster. */
  readonly replicas?: number;
  /** Attempts of a task whose handler throws; after the last, a failure fragment is published. Default 5. */
  readonly maxDeliver?: number;
  /** Milliseconds before the second attempt of a failed task (a nak delay); doubles with each attempt, capped at 30000. Default 1000. */
  readonly retryDelayMs?: number;
  /** Duplicate window of the streams this client creates, ms: a task or fragment id seen within it is dropped. Default 120000. */
  readonly duplicateWindowMs?: number;
  /** Names this process in the failure fragments the bus publishes. Default `${hostname}:${pid}`. */
  readonly workerId?: string;
  /** Milliseconds a pull request for tasks waits on the server before it is renewed (>= 1000). Default 5000. */
  readonly pullExpiresMs?: number;
  /**
   * Milliseconds a publication, KV or object store operation keeps trying while the server cannot
   * answer (restarting, a cluster electing a leader). Retries are safe: the streams drop copies of a
   * task or fragment, a KV put writes the same value. Default 60000.
   */
  readonly retryMs?: number;
  /**
   * Milliseconds to wait for the answer to a JetStream request (a publish ack, a consumer lookup).
   * A publish whose ack is lost in a server restart is sent again after this long. Default 5000.
   */
  readonly requestTimeoutMs?: number;
  /**
   * Largest encoded task or fragment sent as a NATS message, bytes; a larger one (a task over a
   * 784-input layer reaches a few MB) is stored in the object store relurec-payloads and the
   * message carries its name. Default: the server's max_payload less 16 KiB (headers, subject).
   */
  readonly inlinePayloadBytes?: number;
  /** Milliseconds between reconnect attempts after the connection is lost; the client retries forever. Default 1000. */
  readonly reconnectTimeWaitMs?: number;
  /**
   * Receives errors of background work no caller can catch: a subscriber's handler that throws, a
   * consumer that cannot be created or pulled from (reported once, then retried until it works).
   * Default: a process warning.
   */
  readonly onError?: (error: Error) => void;
}

/** No connection to the NATS servers could be made (unreachable, refused credentials, TLS failure). */
export class BusConnectionError extends Error {
  override readonly name = 'BusConnectionError';
  /** The server URLs that were tried. */
  readonly servers: readonly string[];

  constructor(message: string, servers: readonly string[], options?: { cause?: unknown }) {
    super(message, options);
    this.servers = servers;
  }
}

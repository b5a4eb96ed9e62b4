/**
 * A stream, bucket or consumer the bus needs is missing and cannot be created, or exists with an
 * incompatible configuration (say RELUREC_TASKS without work-queue retention).
 */
export class BusTopologyError extends Error {
  override readonly name = 'BusTopologyError';
  /** Name of the stream, bucket or consumer concerned. */
  readonly resource: string;

  constructor(message: string, resource: string, options?: { cause?: unknown }) {
    super(message, options);
    this.resource = resource;
  }
}

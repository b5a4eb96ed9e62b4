/** A service name: one NATS subject token. */
const NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Queue group every replica of an oracle service joins, so that each request reaches one of them. */
export const ORACLE_QUEUE = 'relurec-oracle';

/** The subjects of one oracle service. */
export interface OracleSubjects {
  /** `relurec.oracle.<name>` (for messages). */
  readonly service: string;
  /** `relurec.oracle.<name>.info`: request `{}` (or empty), reply `{ inputDim, outputDim }`. */
  readonly info: string;
  /** `relurec.oracle.<name>.query`: a query batch, answered by one replica of the queue group. */
  readonly query: string;
  /** `relurec.oracle.<name>.query.<replica>`: the rest of a split batch, sent to the replica that took its first part. */
  replica(replica: string): string;
}

/**
 * Subjects of the oracle service `name`, read like paths under `relurec.oracle.`.
 * @throws RangeError when name is not 1 to 64 letters, digits, '_' or '-'
 */
export function oracleSubjects(name: string): OracleSubjects {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new RangeError(`options.name must be 1 to 64 letters, digits, '_' or '-' (one subject token), got ${JSON.stringify(name)}`);
  }
  const service = `relurec.oracle.${name}`;
  return Object.freeze({
    service,
    info: `${service}.info`,
    query: `${service}.query`,
    replica: (replica: string) => {
      if (!NAME_PATTERN.test(replica)) throw new RangeError(`replica must be one subject token, got ${JSON.stringify(replica)}`);
      return `${service}.query.${replica}`;
    },
  });
}

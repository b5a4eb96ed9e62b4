/**
 * What a runId may be: 1 to 64 ASCII letters, digits, '-' or '_'. A runId is one token of a NATS
 * subject (`relurec.<run>.tasks`), a KV key and a file name, so it holds no '.', '*', '>', '/' or
 * whitespace.
 */
export const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Tokens that name cluster-wide subjects (`relurec.workers.heartbeat`, ...) and so are no runId. */
export const RESERVED_RUN_IDS = ['workers', 'oracle', 'cluster'] as const;

/** True when `value` is a usable runId: it matches {@link RUN_ID_PATTERN} and is not reserved. */
export function isRunId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    RUN_ID_PATTERN.test(value) &&
    !(RESERVED_RUN_IDS as readonly string[]).includes(value)
  );
}

/**
 * Throws a RangeError naming `what` unless `value` is a usable runId ({@link isRunId}).
 * @returns the runId, typed as a string.
 */
export function assertRunId(value: unknown, what = 'runId'): string {
  if (!isRunId(value)) {
    const reserved = typeof value === 'string' && (RESERVED_RUN_IDS as readonly string[]).includes(value);
    throw new RangeError(
      reserved
        ? `${what} '${value}' is reserved (${RESERVED_RUN_IDS.join(', ')} name cluster-wide subjects)`
        : `${what} must match ${RUN_ID_PATTERN} (got ${JSON.stringify(value) ?? String(value)})`,
    );
  }
  return value;
}

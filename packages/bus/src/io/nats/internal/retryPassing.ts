import { JetStreamApiError } from '@nats-io/jetstream';

/** Longest pause between two tries, ms. */
const MAX_PAUSE_MS = 2000;

/**
 * Runs `operation` again while it fails in a way that passes (a timeout or no responders while a
 * server restarts or a cluster elects a stream leader) until `retryMs` have gone by. Only for
 * operations that are safe to repeat: publications with a msgID (the stream drops copies), KV puts
 * of the same value, reads.
 * @throws the last error when it does not pass in time, or at once one that will not pass (a
 *   permission violation, a closed connection).
 */
export async function retryPassing<T>(operation: () => Promise<T>, retryMs: number): Promise<T> {
  const deadline = Date.now() + retryMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (err) {
      if (!isPassing(err) || Date.now() >= deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, MAX_PAUSE_MS, Math.max(0, deadline - Date.now()))));
    }
  }
}

/** True for failures of a server that is restarting or electing a leader. */
export function isPassing(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  // 10008: JetStream temporarily unavailable (no stream leader yet).
  if (err instanceof JetStreamApiError) return err.code === 10008 || /temporarily unavailable|leader/i.test(err.message);
  if (['TimeoutError', 'NoRespondersError', 'JetStreamNotEnabled'].includes(err.name)) return true;
  if (err.name === 'RequestError') return /no responders|timeout/i.test(`${err.message} ${String((err.cause as Error | undefined)?.message)}`);
  return false;
}

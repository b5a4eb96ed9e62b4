import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { nanos, nuid } from '@nats-io/transport-node';

/** Where an ordered read stands; kept across restarts of the read so that it resumes after the last message. */
export interface OrderedCursor {
  /** Stream sequence of the last message handed on (0 before the first). */
  lastSeq: number;
  stopped: boolean;
  /** Ends the pull in progress (the read then starts a new consumer after lastSeq). */
  interrupt: (() => void) | undefined;
}

/** Messages asked for per pull. */
const BATCH = 256;
/** Pull expiry, ms: a new pull is made at least this often. */
const EXPIRES_MS = 5000;
/** An unused consumer is removed by the server after this long, ms (when a client vanished). */
const INACTIVE_MS = 60_000;

/**
 * Hands on, in stream order, every message of `stream` on `subject` after `cursor.lastSeq`, then
 * new ones as they come, until the cursor is stopped. It reads with an ephemeral pull consumer
 * (no acks, memory storage, one replica) and returns (or throws) when that consumer is lost or
 * interrupted: a server restart, a gap in delivery. The caller starts it again; the cursor makes
 * it resume after the last message, so nothing is skipped and nothing is handed on twice.
 * `onMessage` may be async: the next message waits for it.
 * `onCaughtUp` is called whenever the read has handed on everything the stream held for the
 * subject (at once after the consumer is made when there is nothing to read).
 */
export async function readOrdered(
  js: JetStreamClient,
  jsm: JetStreamManager,
  stream: string,
  subject: string,
  cursor: OrderedCursor,
  onMessage: (message: JsMsg) => void | Promise<void>,
  onCaughtUp?: () => void,
): Promise<void> {
  const name = `relurec_${nuid.next()}`;
  const info = await jsm.consumers.add(stream, {
    name,
    ack_policy: AckPolicy.None,
    filter_subject: subject,
    ...(cursor.lastSeq === 0
      ? { deliver_policy: DeliverPolicy.All }
      : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: cursor.lastSeq + 1 }),
    inactive_threshold: nanos(INACTIVE_MS),
    mem_storage: true,
    num_replicas: 1,
  });
  try {
    if (info.num_pending === 0) onCaughtUp?.();
    const consumer = await js.consumers.get(stream, name);
    let nextDelivery = 1;
    while (!cursor.stopped) {
      const batch = await consumer.fetch({ max_messages: BATCH, expires: EXPIRES_MS });
      let interrupted = false;
      cursor.interrupt = () => {
        interrupted = true;
        void batch.stop();
      };
      for await (const message of batch) {
        if (cursor.stopped) return;
        // A delivery out of sequence means the consumer lost messages: read again from lastSeq.
        if (message.info.deliverySequence !== nextDelivery) return;
        nextDelivery++;
        if (message.seq > cursor.lastSeq) {
          // Awaited, so that a message whose body must first be fetched keeps its place in the order.
          await onMessage(message);
          cursor.lastSeq = message.seq;
        }
        if (message.info.pending === 0) onCaughtUp?.();
      }
      cursor.interrupt = undefined;
      if (interrupted) return;
    }
  } finally {
    cursor.interrupt = undefined;
    jsm.consumers.delete(stream, name).catch(() => undefined);
  }
}

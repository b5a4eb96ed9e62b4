import type { Heartbeat } from '../messages/Heartbeat.js';
import { validateHeartbeat } from '../validate/validateHeartbeat.js';
import { decodeWith } from './internal/decodeWith.js';

/**
 * A Heartbeat from MessagePack bytes: `decode` then {@link validateHeartbeat}.
 * @param subject where the bytes came from, named in errors; '' when not from a bus.
 * @throws MalformedMessageError naming the subject and the bad field (`$` for undecodable bytes).
 */
export function decodeHeartbeat(bytes: Uint8Array, subject = ''): Heartbeat {
  return decodeWith(bytes, subject, validateHeartbeat);
}

import type { RunEvent } from '../messages/RunEvent.js';
import { validateRunEvent } from '../validate/validateRunEvent.js';
import { decodeWith } from './internal/decodeWith.js';

/**
 * A RunEvent from MessagePack bytes: `decode` then {@link validateRunEvent}.
 * @param subject where the bytes came from, named in errors; '' when not from a bus.
 * @throws MalformedMessageError naming the subject and the bad field (`$` for undecodable bytes).
 */
export function decodeRunEvent(bytes: Uint8Array, subject = ''): RunEvent {
  return decodeWith(bytes, subject, validateRunEvent);
}

import type { TaskMessage } from '../messages/TaskMessage.js';
import { validateTaskMessage } from '../validate/validateTaskMessage.js';
import { decodeWith } from './internal/decodeWith.js';

/**
 * A TaskMessage from MessagePack bytes: `decode` then {@link validateTaskMessage}.
 * @param subject where the bytes came from, named in errors; '' when not from a bus.
 * @throws MalformedMessageError naming the subject and the bad field (`$` for undecodable bytes).
 */
export function decodeTaskMessage(bytes: Uint8Array, subject = ''): TaskMessage {
  return decodeWith(bytes, subject, validateTaskMessage);
}

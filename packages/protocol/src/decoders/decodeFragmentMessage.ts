import type { FragmentMessage } from '../messages/TaskMessage.js';
import { validateFragmentMessage } from '../validate/validateFragmentMessage.js';
import { decodeWith } from './internal/decodeWith.js';

/**
 * A FragmentMessage from MessagePack bytes: `decode` then {@link validateFragmentMessage}.
 * @param subject where the bytes came from, named in errors; '' when not from a bus.
 * @throws MalformedMessageError naming the subject and the bad field (`$` for undecodable bytes).
 */
export function decodeFragmentMessage(bytes: Uint8Array, subject = ''): FragmentMessage {
  return decodeWith(bytes, subject, validateFragmentMessage);
}

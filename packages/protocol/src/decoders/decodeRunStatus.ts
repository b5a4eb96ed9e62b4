import type { RunStatus } from '../messages/RunStatus.js';
import { validateRunStatus } from '../validate/validateRunStatus.js';
import { decodeWith } from './internal/decodeWith.js';

/**
 * A RunStatus from MessagePack bytes: `decode` then {@link validateRunStatus}.
 * @param subject where the bytes came from, named in errors; '' when not from a bus.
 * @throws MalformedMessageError naming the subject and the bad field (`$` for undecodable bytes).
 */
export function decodeRunStatus(bytes: Uint8Array, subject = ''): RunStatus {
  return decodeWith(bytes, subject, validateRunStatus);
}

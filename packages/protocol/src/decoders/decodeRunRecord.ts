import type { RunRecord } from '../messages/RunRecord.js';
import { validateRunRecord } from '../validate/validateRunRecord.js';
import { decodeWith } from './internal/decodeWith.js';

/**
 * A RunRecord from MessagePack bytes: `decode` then {@link validateRunRecord}.
 * @param subject where the bytes came from, named in errors; '' when not from a bus.
 * @throws MalformedMessageError naming the subject and the bad field (`$` for undecodable bytes).
 */
export function decodeRunRecord(bytes: Uint8Array, subject = ''): RunRecord {
  return decodeWith(bytes, subject, validateRunRecord);
}

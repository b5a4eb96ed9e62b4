import { MalformedMessageError } from '../errors/MalformedMessageError.js';
import { packr } from './packr.js';

/**
 * The value that `bytes` encode (one MessagePack value, nothing after it). Typed arrays come back
 * as copies that own their buffer.
 * @param subject where the bytes came from, for the error message; '' when not from a bus.
 * @throws MalformedMessageError (field `$`) when the bytes are not exactly one MessagePack value.
 */
export function decode(bytes: Uint8Array, subject = ''): unknown {
  const where = subject === '' ? '' : ` on ${subject}`;
  if (!(bytes instanceof Uint8Array)) {
    throw new MalformedMessageError(`malformed message${where}: expected bytes (a Uint8Array), got ${typeof bytes}`, {
      field: '$',
      subject,
    });
  }
  if (bytes.length === 0) {
    throw new MalformedMessageError(`malformed message${where}: empty payload`, { field: '$', subject });
  }
  try {
    return packr.unpack(bytes);
  } catch (cause) {
    // msgpackr's messages can embed a JSON dump of what it read: keep the first line's start.
    const reason = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0]!.slice(0, 120);
    throw new MalformedMessageError(`malformed message${where}: not MessagePack (${reason})`, { field: '$', subject }, { cause });
  }
}

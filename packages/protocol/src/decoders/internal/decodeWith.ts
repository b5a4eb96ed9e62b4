import { decode } from '../../codec/decode.js';

/** Decodes then validates; both throw MalformedMessageError naming the subject. */
export function decodeWith<T>(bytes: Uint8Array, subject: string, validate: (value: unknown, subject: string) => T): T {
  return validate(decode(bytes, subject), subject);
}

import { packr } from './packr.js';

/**
 * MessagePack bytes of `value` (plain data and typed arrays; see the codec's notes on -0).
 * Encoding does not validate: the bus validates a message before it encodes it.
 */
export function encode(value: unknown): Uint8Array {
  return packr.pack(value);
}

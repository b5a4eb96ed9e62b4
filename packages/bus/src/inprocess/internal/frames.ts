/** Bytes of the length prefix of each frame (unsigned 32-bit, big-endian). */
export const FRAME_HEADER_BYTES = 4;

/** `payload` behind its length prefix, ready to append to a log file. */
export function frame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  new DataView(out.buffer).setUint32(0, payload.length, false);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

/** The payloads of a log file's frames, and how many bytes of it hold whole frames (a torn last frame is left out). */
export function readFrames(bytes: Uint8Array): { payloads: Uint8Array[]; wholeBytes: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const payloads: Uint8Array[] = [];
  let offset = 0;
  while (offset + FRAME_HEADER_BYTES <= bytes.length) {
    const length = view.getUint32(offset, false);
    const end = offset + FRAME_HEADER_BYTES + length;
    if (end > bytes.length) break;
    payloads.push(bytes.slice(offset + FRAME_HEADER_BYTES, end));
    offset = end;
  }
  return { payloads, wholeBytes: offset };
}

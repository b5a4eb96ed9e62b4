/**
 * A 64-bit hash of a row's exact bytes, as a string key. Rows are not stored as keys: in 784
 * dimensions that would cost 6 KB a query; a 64-bit collision among 1e7 queries has odds ~1e-5.
 */
export function rowKey(row: Float64Array): string {
  const words = new Uint32Array(row.buffer, row.byteOffset, row.length * 2);
  let h1 = 0x811c9dc5, h2 = 0x9747b28c;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    h1 = Math.imul(h1 ^ w, 0x01000193);
    h2 = Math.imul(h2 ^ w, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0).toString(36) + ':' + (h2 >>> 0).toString(36);
}

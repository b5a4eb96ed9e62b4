/** Mixes an arbitrary finite number into a well-spread 32-bit unsigned integer (murmur3 finaliser). */
export function hashSeed(seed: number): number {
  let h = (Math.floor(seed) ^ Math.floor(seed / 4294967296)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

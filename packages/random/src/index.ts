export { createRng, deriveSeed } from './createRng.js';
export type { Rng } from './createRng.js';
export { hashSeed } from './hashSeed.js';

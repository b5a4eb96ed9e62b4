export { generateNetwork, Init } from './generateNetwork.js';
export type { GenerateOptions } from './generateNetwork.js';

export { randomEquivalentNetwork } from './randomEquivalentNetwork.js';
export type { EquivalentNetwork, RandomEquivalentOptions } from './randomEquivalentNetwork.js';

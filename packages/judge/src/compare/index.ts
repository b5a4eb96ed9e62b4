export { compareNetworks, CompareDefaults } from './compareNetworks.js';
export type { CompareOptions } from './compareNetworks.js';
export { LayerKind } from './NetworkComparison.js';
export type { LayerComparison, NetworkComparison, NeuronPair, RejectedPair, ResolvedCompareOptions, UnusedWeight } from './NetworkComparison.js';

export { compareNetworks, CompareDefaults, LayerKind } from './compare/index.js';
export type {
  CompareOptions,
  LayerComparison,
  NetworkComparison,
  NeuronPair,
  RejectedPair,
  ResolvedCompareOptions,
} from './compare/index.js';
export { measureFidelity } from './fidelity/index.js';
export type { FidelityOptions, FidelityReport } from './fidelity/index.js';
export { formatComparison, DISPLAY_BITS_CAP } from './format/index.js';
export { randomEquivalentNetwork } from './equivalence/index.js';
export type { EquivalentNetwork, RandomEquivalentOptions } from './equivalence/index.js';
export { AssignmentError } from './errors/index.js';

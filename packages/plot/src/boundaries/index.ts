export { neuronBoundaries } from './neuronBoundaries.js';
export type { NeuronBoundary, NeuronBoundaryOptions } from './neuronBoundaries.js';
export { plotBoundaries } from './plotBoundaries.js';
export type { PlotBoundariesOptions } from './plotBoundaries.js';

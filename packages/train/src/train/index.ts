export { trainNetwork } from './trainNetwork.js';
export type { EpochRecord, TrainOptions, TrainResult } from './trainNetwork.js';
export { computeGradient } from './computeGradient.js';
export type { GradientResult } from './computeGradient.js';
export { evaluateClassifier } from './evaluateClassifier.js';
export type { Evaluation } from './evaluateClassifier.js';
export type { LayerGradient } from './LayerGradient.js';
export { TrainingDivergedError } from './TrainingDivergedError.js';

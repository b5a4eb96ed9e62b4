export { makeMemorisationTask } from './task/index.js';
export type { LabelledData, MemorisationTask, MemorisationTaskOptions } from './task/index.js';
export { computeGradient, evaluateClassifier, trainNetwork, TrainingDivergedError } from './train/index.js';
export type { EpochRecord, Evaluation, GradientResult, LayerGradient, TrainOptions, TrainResult } from './train/index.js';

export { TargetInit } from './ExperimentSpec.js';
export type { ExperimentSetting, ExperimentSpec, TrainingSpec } from './ExperimentSpec.js';
export { parseExperimentSpec } from './parseExperimentSpec.js';

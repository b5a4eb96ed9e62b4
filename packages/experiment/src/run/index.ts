export { runExperiment } from './runExperiment.js';
export type { ExperimentRunSummary, RecoverCell, RecoverOutcome, RunExperimentOptions } from './runExperiment.js';
export { makeTarget, TrainingDefaults } from './makeTarget.js';

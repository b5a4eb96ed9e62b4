export { loadMilpSolver } from './loadMilpSolver.js';
export type { MilpSolver } from './loadMilpSolver.js';
export { deepestJointInput } from './deepestJointInput.js';
export type { JointInputVerdict, JointInputOptions } from './deepestJointInput.js';

export { loadMilpSolver } from './loadMilpSolver.js';
export type { MilpSolver } from './loadMilpSolver.js';
export { deepestJointInput, pieceCentre } from './deepestJointInput.js';
export type { JointInputVerdict, JointInputOptions } from './deepestJointInput.js';

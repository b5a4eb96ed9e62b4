export { expandCells } from './expandCells.js';
export type { CellDefaults } from './expandCells.js';
export type { ExperimentCell, ResolvedSetting } from './ExperimentCell.js';

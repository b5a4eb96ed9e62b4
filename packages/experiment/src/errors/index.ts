export { ExperimentSpecError } from './ExperimentSpecError.js';
export { ResultsFileError } from './ResultsFileError.js';
export { ExperimentCellError } from './ExperimentCellError.js';

export { RESULTS_FILE, appendResult, dropPartialLine, readResultsFile } from './resultsFile.js';
export type { ResultsContent } from './resultsFile.js';
export { writeReport } from './writeReport.js';
export { loadExperimentSpec } from './loadExperimentSpec.js';
export type { WrittenReport } from './writeReport.js';

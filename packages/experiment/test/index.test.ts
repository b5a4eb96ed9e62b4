import t from 'tap';
import * as api from '../src/index.js';

// The public API of @relurec/experiment (values; types are checked by the compiler): changing this list is an API change.
t.test('exports - the export list', async (t) => {
  t.same(Object.keys(api).sort(), [
    'ExperimentCellError',
    'ExperimentSpecError',
    'RESULTS_FILE',
    'ReportFiles',
    'ResultsFileError',
    'TARGET_BITS',
    'TargetInit',
    'TrainingDefaults',
    'decodeResultLine',
    'encodeResultLine',
    'expandCells',
    'formatBits',
    'formatReport',
    'loadExperimentSpec',
    'makeTarget',
    'parseExperimentSpec',
    'readResultsFile',
    'reportCharts',
    'runExperiment',
    'writeReport',
  ]);
  t.same(api.TargetInit, { rk: 'rk', carlini: 'carlini', balanced: 'balanced', trained: 'trained' });
  t.same(api.ReportFiles, { markdown: 'report.md', queries: 'queries-vs-params.svg', bits: 'bits.svg', seconds: 'seconds-vs-workers.svg' });
});

import t from 'tap';
import * as judge from '../src/index.js';

// The public API of @relurec/judge (types are checked by the compiler, values here): a change to this
// list is an API change and must be deliberate.
t.test('exports - the export list', async (t) => {
  t.same(Object.keys(judge).sort(), [
    'AssignmentError',
    'CompareDefaults',
    'DISPLAY_BITS_CAP',
    'LayerKind',
    'compareNetworks',
    'formatComparison',
    'measureFidelity',
    'randomEquivalentNetwork',
  ]);
  t.same(judge.CompareDefaults, { fidelitySamples: 100_000, seed: 0, domainScale: 1, matchTolerance: 1e-2, fidelityBatchSize: 4096, unusedSamples: 10_000 });
  t.same(judge.LayerKind, { hidden: 'hidden', output: 'output' });
});

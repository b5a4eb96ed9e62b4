import t from 'tap';
import * as train from '../src/index.js';

t.test('train - export list', async (t) => {
  // Snapshot of the public runtime API: a change here is an API change (types are erased and not listed).
  t.same(Object.keys(train).sort(), [
    'TrainingDivergedError',
    'computeGradient',
    'evaluateClassifier',
    'makeMemorisationTask',
    'trainNetwork',
  ]);
});

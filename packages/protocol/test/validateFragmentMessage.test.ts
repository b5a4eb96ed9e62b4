import t from 'tap';
import { validateFragmentMessage } from '../src/index.js';
import { sampleFailure, sampleFragment } from './fixtures/messages.js';
import { DELETE, expectRejections } from './fixtures/rejects.js';

t.test('validateFragmentMessage - outputs and failures pass', async (t) => {
  t.ok(validateFragmentMessage(sampleFragment()));
  t.ok(validateFragmentMessage(sampleFailure()));
  const { output: _output, ...noOutput } = sampleFragment();
  t.ok(validateFragmentMessage(noOutput), 'a success without output (a kind with nothing to say)');
});

t.test('validateFragmentMessage - each bad field is rejected by name', async (t) => {
  expectRejections(t, validateFragmentMessage, sampleFragment(), [
    ['v', 0],
    ['runId', ''],
    ['taskId', '1.2'],
    ['phase', '1'],
    ['kind', 3],
    ['workerId', ''],
    ['queries', -1],
    ['queries', 0.5],
    ['seconds', -0.1],
    ['seconds', Infinity],
    ['output.count', NaN],
    ['output.points[0]', new Float64Array([0, -Infinity]), 'output.points[0][1]'],
    ['failure', { name: 'X', message: 'm', budget: false }, 'output'],
    ['extra', true],
  ]);
  expectRejections(t, validateFragmentMessage, sampleFailure(), [
    ['failure.name', ''],
    ['failure.message', DELETE],
    ['failure.budget', 'yes'],
    ['failure.extra', 1],
    ['failure', 'boom'],
  ]);
});

import t from 'tap';
import { validateTaskMessage } from '../src/index.js';
import { sampleTask } from './fixtures/messages.js';
import { DELETE, expectRejections } from './fixtures/rejects.js';

t.test('validateTaskMessage - a valid task passes and is returned as is', async (t) => {
  const task = sampleTask();
  t.equal(validateTaskMessage(task), task);
  t.ok(validateTaskMessage({ ...task, budget: null, input: null }));
});

t.test('validateTaskMessage - each bad field is rejected by name', async (t) => {
  expectRejections(t, validateTaskMessage, sampleTask(), [
    ['v', 2],
    ['v', DELETE],
    ['runId', ''],
    ['runId', 'a.b'],
    ['runId', 42],
    ['taskId', '12.3'],
    ['taskId', ''],
    ['phase', -1],
    ['phase', 1.5],
    ['kind', ''],
    ['seed', -1],
    ['seed', 2 ** 32],
    ['budget', NaN],
    ['budget', -5],
    ['input', DELETE],
    ['input.steps[0]', Infinity],
    ['input.cell.lo', new Float64Array([1, NaN]), 'input.cell.lo[1]'],
    ['input.cell', new Map(), 'input.cell'],
    ['input.cell.hi', new Date(0), 'input.cell.hi'],
    ['extra', 1],
  ]);
});

t.test('validateTaskMessage - a non-object is rejected as a whole', async (t) => {
  for (const bad of [null, 7, 'task', [1]]) {
    t.throws(() => validateTaskMessage(bad, 'relurec.r.tasks'), { name: 'MalformedMessageError', field: '$' });
  }
});

import t from 'tap';
import { validateRunStatus } from '../src/index.js';
import { sampleStatus } from './fixtures/messages.js';
import { expectRejections } from './fixtures/rejects.js';

t.test('validateRunStatus - a valid status passes, with or without a reason', async (t) => {
  t.ok(validateRunStatus(sampleStatus()));
  t.ok(validateRunStatus({ ...sampleStatus(), state: 'incomplete', reason: 'query budget spent', budget: 10 }));
});

t.test('validateRunStatus - each bad field is rejected by name', async (t) => {
  expectRejections(t, validateRunStatus, sampleStatus(), [
    ['v', 3],
    ['runId', ''],
    ['target', null],
    ['state', 'paused'],
    ['phase', 1],
    ['layer', -1],
    ['neurons', 'x'],
    ['neurons[1]', -2],
    ['queries', Infinity],
    ['budget', 1.5],
    ['tasksIssued', -1],
    ['tasksDone', '3'],
    ['startedAt', NaN],
    ['updatedAt', -5],
    ['reason', 7],
  ]);
});

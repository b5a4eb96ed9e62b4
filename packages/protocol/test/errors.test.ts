import t from 'tap';
import { MalformedMessageError, TaskFailedError } from '../src/index.js';
import { sampleFailure, sampleFragment } from './fixtures/messages.js';

t.test('errors - MalformedMessageError carries field, subject and cause', async (t) => {
  const cause = new Error('inner');
  const err = new MalformedMessageError('bad', { field: 'taskId', subject: 'relurec.r1.tasks' }, { cause });
  t.equal(err.name, 'MalformedMessageError');
  t.equal(err.field, 'taskId');
  t.equal(err.subject, 'relurec.r1.tasks');
  t.equal(err.cause, cause);
  t.ok(err instanceof Error);
});

t.test('errors - a failure fragment becomes a typed TaskFailedError again', async (t) => {
  const err = TaskFailedError.fromFragment(sampleFailure());
  t.equal(err.name, 'TaskFailedError');
  t.equal(err.failureName, 'QueryBudgetExceededError');
  t.equal(err.budget, true);
  t.equal(err.taskId, '00012.00004');
  t.match(err.message, /task 00012\.00004 of run run-1 failed on worker host-a:123: QueryBudgetExceededError/);
  t.throws(() => TaskFailedError.fromFragment(sampleFragment()), { name: 'TypeError', message: /has no failure/ });
});

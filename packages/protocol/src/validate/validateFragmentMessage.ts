import type { FragmentMessage } from '../messages/TaskMessage.js';
import { Check } from './internal/Check.js';

const REQUIRED = ['v', 'runId', 'taskId', 'phase', 'kind', 'workerId', 'queries', 'seconds'] as const;
const OPTIONAL = ['output', 'failure'] as const;

/**
 * Checks every field of a fragment: version, ids (taskId format), phase, kind, workerId (non-empty),
 * queries (integer >= 0), seconds (finite >= 0), output (plain data) or failure (name non-empty,
 * message, budget boolean), never both.
 * @returns the same value, typed.
 * @throws MalformedMessageError naming the first bad field.
 */
export function validateFragmentMessage(value: unknown, subject = ''): FragmentMessage {
  const check = new Check('FragmentMessage', subject);
  const m = check.object(value, '$', REQUIRED, OPTIONAL);
  check.version(m.v);
  check.runId(m.runId, 'runId');
  check.taskId(m.taskId, 'taskId');
  check.integer(m.phase, 'phase', 0);
  check.string(m.kind, 'kind', { nonEmpty: true });
  check.string(m.workerId, 'workerId', { nonEmpty: true });
  check.integer(m.queries, 'queries', 0);
  check.number(m.seconds, 'seconds', 0);
  if (m.failure !== undefined) {
    const failure = check.object(m.failure, 'failure', ['name', 'message', 'budget']);
    check.string(failure.name, 'failure.name', { nonEmpty: true });
    check.string(failure.message, 'failure.message');
    check.boolean(failure.budget, 'failure.budget');
    if (m.output !== undefined) check.fail('output', 'must be absent when failure is set');
  } else {
    check.plainData(m.output, 'output');
  }
  return m as unknown as FragmentMessage;
}

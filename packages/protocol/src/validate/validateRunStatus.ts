import type { RunStatus } from '../messages/RunStatus.js';
import { RunState } from '../messages/RunStatus.js';
import { Check } from './internal/Check.js';

const REQUIRED = [
  'v', 'runId', 'target', 'state', 'phase', 'layer', 'neurons', 'queries', 'budget',
  'tasksIssued', 'tasksDone', 'startedAt', 'updatedAt',
] as const;

/**
 * Checks every field of a run status: version, runId, target, state, phase, layer (integer >= 0),
 * neurons (integers >= 0), queries and task counts (integers >= 0), budget (null or integer >= 0),
 * times (ms >= 0), optional reason (string).
 * @returns the same value, typed.
 * @throws MalformedMessageError naming the first bad field.
 */
export function validateRunStatus(value: unknown, subject = ''): RunStatus {
  const check = new Check('RunStatus', subject);
  const m = check.object(value, '$', REQUIRED, ['reason']);
  check.version(m.v);
  check.runId(m.runId, 'runId');
  check.string(m.target, 'target');
  check.oneOf(m.state, 'state', RunState);
  check.string(m.phase, 'phase');
  check.integer(m.layer, 'layer', 0);
  check.array(m.neurons, 'neurons').forEach((n, i) => check.integer(n, `neurons[${i}]`, 0));
  check.integer(m.queries, 'queries', 0);
  check.budget(m.budget, 'budget');
  check.integer(m.tasksIssued, 'tasksIssued', 0);
  check.integer(m.tasksDone, 'tasksDone', 0);
  check.number(m.startedAt, 'startedAt', 0);
  check.number(m.updatedAt, 'updatedAt', 0);
  if (m.reason !== undefined) check.string(m.reason, 'reason');
  return m as unknown as RunStatus;
}

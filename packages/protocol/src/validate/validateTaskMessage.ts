import type { TaskMessage } from '../messages/TaskMessage.js';
import { Check } from './internal/Check.js';

const REQUIRED = ['v', 'runId', 'taskId', 'phase', 'kind', 'seed', 'budget', 'input'] as const;

/**
 * Checks every field of a task: version, runId, taskId format, phase (integer >= 0), kind (non-empty),
 * seed (uint32), budget (null or integer >= 0), input (plain data, finite numbers). No other field.
 * @param subject where it came from or goes to, for the error; '' when not on a bus.
 * @returns the same value, typed.
 * @throws MalformedMessageError naming the first bad field.
 */
export function validateTaskMessage(value: unknown, subject = ''): TaskMessage {
  const check = new Check('TaskMessage', subject);
  const m = check.object(value, '$', REQUIRED);
  check.version(m.v);
  check.runId(m.runId, 'runId');
  check.taskId(m.taskId, 'taskId');
  check.integer(m.phase, 'phase', 0);
  check.string(m.kind, 'kind', { nonEmpty: true });
  check.integer(m.seed, 'seed', 0, 0xffff_ffff);
  check.budget(m.budget, 'budget');
  check.plainData(m.input, 'input');
  return m as unknown as TaskMessage;
}

import type { RunEvent } from '../messages/RunEvent.js';
import { EventLevel } from '../messages/RunEvent.js';
import { Check } from './internal/Check.js';

const REQUIRED = ['v', 'runId', 'level', 'kind', 'message', 'at'] as const;

/**
 * Checks every field of an event: version, runId ('' for cluster-wide, else a runId), level, kind
 * (non-empty), message, at (ms >= 0).
 * @returns the same value, typed.
 * @throws MalformedMessageError naming the first bad field.
 */
export function validateRunEvent(value: unknown, subject = ''): RunEvent {
  const check = new Check('RunEvent', subject);
  const m = check.object(value, '$', REQUIRED);
  check.version(m.v);
  if (m.runId !== '') check.runId(m.runId, 'runId');
  check.oneOf(m.level, 'level', EventLevel);
  check.string(m.kind, 'kind', { nonEmpty: true });
  check.string(m.message, 'message');
  check.number(m.at, 'at', 0);
  return m as unknown as RunEvent;
}

import type { Heartbeat } from '../messages/Heartbeat.js';
import { WorkerState } from '../messages/Heartbeat.js';
import { Check } from './internal/Check.js';

const REQUIRED = [
  'v', 'workerId', 'host', 'pid', 'state', 'threads', 'current', 'tasksDone', 'queries',
  'queriesPerSecond', 'cpu', 'rss', 'errors', 'at', 'intervalMs',
] as const;

/**
 * Checks every field of a heartbeat: version, workerId (non-empty), host, pid (integer >= 1), state,
 * counters (integers >= 0), rates and cpu (finite >= 0), current tasks (runId, taskId format, kind),
 * at (ms >= 0), intervalMs (> 0).
 * @returns the same value, typed.
 * @throws MalformedMessageError naming the first bad field.
 */
export function validateHeartbeat(value: unknown, subject = ''): Heartbeat {
  const check = new Check('Heartbeat', subject);
  const m = check.object(value, '$', REQUIRED);
  check.version(m.v);
  check.string(m.workerId, 'workerId', { nonEmpty: true });
  check.string(m.host, 'host');
  check.integer(m.pid, 'pid', 1);
  check.oneOf(m.state, 'state', WorkerState);
  check.integer(m.threads, 'threads', 0);
  const current = check.array(m.current, 'current');
  current.forEach((item, i) => {
    const field = `current[${i}]`;
    const task = check.object(item, field, ['runId', 'taskId', 'kind']);
    check.runId(task.runId, `${field}.runId`);
    check.taskId(task.taskId, `${field}.taskId`);
    check.string(task.kind, `${field}.kind`, { nonEmpty: true });
  });
  check.integer(m.tasksDone, 'tasksDone', 0);
  check.integer(m.queries, 'queries', 0);
  check.number(m.queriesPerSecond, 'queriesPerSecond', 0);
  check.number(m.cpu, 'cpu', 0);
  check.integer(m.rss, 'rss', 0);
  check.integer(m.errors, 'errors', 0);
  check.number(m.at, 'at', 0);
  check.number(m.intervalMs, 'intervalMs', Number.MIN_VALUE);
  return m as unknown as Heartbeat;
}

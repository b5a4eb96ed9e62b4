/** What a taskId is: five-digit phase, a dot, five-digit index ('00012.00003'); ids sort as strings. */
export const TASK_ID_PATTERN = /^\d{5}\.\d{5}$/;

/** True when `value` matches {@link TASK_ID_PATTERN}. */
export function isTaskId(value: unknown): value is string {
  return typeof value === 'string' && TASK_ID_PATTERN.test(value);
}

/**
 * The taskId of task `index` of phase `phase`, zero-padded so that string order is numeric order:
 * `formatTaskId(12, 3) === '00012.00003'`.
 * @throws RangeError when either number is not an integer in [0, 99999].
 */
export function formatTaskId(phase: number, index: number): string {
  for (const [name, value] of [['phase', phase], ['index', index]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 99_999) {
      throw new RangeError(`${name} must be an integer in [0, 99999] (got ${value})`);
    }
  }
  return `${String(phase).padStart(5, '0')}.${String(index).padStart(5, '0')}`;
}

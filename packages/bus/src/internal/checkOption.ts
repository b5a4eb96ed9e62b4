/** Throws a RangeError naming the option unless `value` is undefined or an integer >= min. */
export function checkInteger(value: unknown, name: string, min: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min} (got ${String(value)})`);
  }
}

/** Throws a TypeError naming the option unless `value` is undefined or a non-empty string. */
export function checkString(value: unknown, name: string): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${name} must be a non-empty string (got ${JSON.stringify(value) ?? String(value)})`);
  }
}

// Option checks that name the option: `options.<name>`.

export function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`options.${name} must be a positive integer, got ${value}`);
  return value;
}

export function nonNegativeInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`options.${name} must be a non-negative integer, got ${value}`);
  return value;
}

export function nonNegativeNumber(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`options.${name} must be a non-negative finite number, got ${value}`);
  }
  return value;
}

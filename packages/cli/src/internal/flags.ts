import { parseArchitecture } from '@relurec/network';
import { CliUsageError } from '../cli/CliUsageError.js';

// Checks of parsed flag values: each returns the value or throws a CliUsageError naming the flag.

function shown(value: unknown): string {
  return typeof value === 'number' && Number.isNaN(value) ? 'something that is not a number' : JSON.stringify(value);
}

/** An integer >= min (default: any safe integer). */
export function integerFlag(value: unknown, flag: string, min = Number.MIN_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    const what = min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : 'an integer';
    throw new CliUsageError(`${flag} must be ${what}, got ${shown(value)}`, flag);
  }
  return value;
}

/** A finite number > 0. */
export function positiveFlag(value: unknown, flag: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new CliUsageError(`${flag} must be a positive number, got ${shown(value)}`, flag);
  }
  return value;
}

/** A finite number >= 0. */
export function nonNegativeFlag(value: unknown, flag: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new CliUsageError(`${flag} must be a non-negative number, got ${shown(value)}`, flag);
  }
  return value;
}

/** A non-empty string (a path or URL). */
export function stringFlag(value: unknown, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new CliUsageError(`${flag} needs a value`, flag);
  return value;
}

/** Widths from input to output, e.g. '10-20-1' -> [10, 20, 1]. */
export function architectureFlag(value: unknown, flag = '--arch'): number[] {
  try {
    return parseArchitecture(stringFlag(value, flag));
  } catch (cause) {
    throw new CliUsageError(`${flag}: ${(cause as Error).message}`, flag, { cause });
  }
}

/** A flag that may be given several times: always a list. */
export function repeatedFlag(value: unknown, flag: string): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.map((v) => stringFlag(v, flag));
}

/**
 * Exactly one of the given flags is set (e.g. --target, --oracle, --onnx).
 * @returns the name of the one that is set, without dashes
 */
export function exactlyOne<K extends string>(argv: Record<string, unknown>, names: readonly K[]): K {
  const given = names.filter((n) => argv[n] !== undefined);
  if (given.length !== 1) {
    const list = names.map((n) => `--${n}`).join(', ');
    const why = given.length === 0 ? 'none was given' : `got ${given.map((n) => `--${n}`).join(' and ')}`;
    throw new CliUsageError(`give exactly one of ${list} (${why})`);
  }
  return given[0];
}

/** Freezes a config and every object inside it. */
export function deepFreeze<T>(value: T): Readonly<T> {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

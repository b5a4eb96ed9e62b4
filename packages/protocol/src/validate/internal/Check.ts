import { MalformedMessageError } from '../../errors/MalformedMessageError.js';
import { isRunId, RUN_ID_PATTERN } from '../../ids/runId.js';
import { TASK_ID_PATTERN } from '../../ids/taskId.js';
import { PROTOCOL_VERSION } from '../../messages/TaskMessage.js';

/** Deepest nesting accepted in kind-specific data (input, output, settings). */
const MAX_DEPTH = 64;

/** Field checks of one message: each failure throws a MalformedMessageError naming type, subject and field. */
export class Check {
  constructor(
    readonly type: string,
    readonly subject: string,
  ) {}

  /** Throws; `got`, when given, is the offending value (described in the message). */
  fail(field: string, problem: string, ...got: [] | [unknown]): never {
    const where = this.subject === '' ? '' : ` on ${this.subject}`;
    const gotText = got.length > 0 ? ` (got ${describe(got[0])})` : '';
    throw new MalformedMessageError(`malformed ${this.type}${where}: ${field} ${problem}${gotText}`, {
      field,
      subject: this.subject,
    });
  }

  /** A plain object with exactly the allowed keys (optional ones may be absent). */
  object(value: unknown, field: string, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
    if (!isPlainObject(value)) this.fail(field, 'must be an object', value);
    for (const key of required) {
      if (!Object.hasOwn(value, key)) this.fail(join(field, key), 'is missing');
    }
    for (const key of Object.keys(value)) {
      if (!required.includes(key) && !optional.includes(key)) {
        this.fail(join(field, key), `is not a field of ${field === '$' ? this.type : field}`);
      }
    }
    return value;
  }

  /** A plain object with any keys. */
  record(value: unknown, field: string): Record<string, unknown> {
    if (!isPlainObject(value)) this.fail(field, 'must be an object', value);
    return value;
  }

  version(value: unknown): void {
    if (value !== PROTOCOL_VERSION) this.fail('v', `must be ${PROTOCOL_VERSION} (PROTOCOL_VERSION)`, value);
  }

  string(value: unknown, field: string, options: { nonEmpty?: boolean } = {}): string {
    if (typeof value !== 'string') this.fail(field, 'must be a string', value);
    if (options.nonEmpty === true && value.length === 0) this.fail(field, 'must not be empty', value);
    return value;
  }

  runId(value: unknown, field: string): string {
    if (!isRunId(value)) this.fail(field, `must be a runId (${RUN_ID_PATTERN}, not reserved)`, value);
    return value;
  }

  taskId(value: unknown, field: string): string {
    if (typeof value !== 'string' || !TASK_ID_PATTERN.test(value)) this.fail(field, `must match ${TASK_ID_PATTERN}`, value);
    return value;
  }

  boolean(value: unknown, field: string): boolean {
    if (typeof value !== 'boolean') this.fail(field, 'must be a boolean', value);
    return value;
  }

  /** A finite number, >= min when given. */
  number(value: unknown, field: string, min?: number): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(field, 'must be a finite number', value);
    if (min !== undefined && value < min) this.fail(field, `must be >= ${min}`, value);
    return value;
  }

  /** A safe integer, >= min when given, <= max when given. */
  integer(value: unknown, field: string, min?: number, max?: number): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) this.fail(field, 'must be an integer', value);
    if (min !== undefined && value < min) this.fail(field, `must be >= ${min}`, value);
    if (max !== undefined && value > max) this.fail(field, `must be <= ${max}`, value);
    return value;
  }

  /** null, or an integer >= 0 (a query budget). */
  budget(value: unknown, field: string): number | null {
    if (value === null) return null;
    return this.integer(value, field, 0);
  }

  oneOf<T extends string>(value: unknown, field: string, allowed: Readonly<Record<string, T>>): T {
    const values = Object.values(allowed);
    if (typeof value !== 'string' || !(values as string[]).includes(value)) {
      this.fail(field, `must be one of ${values.map((v) => `'${v}'`).join(', ')}`, value);
    }
    return value as T;
  }

  array(value: unknown, field: string): readonly unknown[] {
    if (!Array.isArray(value)) this.fail(field, 'must be an array', value);
    return value;
  }

  /**
   * Kind-specific data: null, undefined, booleans, strings, finite numbers, arrays, plain objects,
   * float typed arrays with finite entries and integer typed arrays, nested at most 64 deep.
   */
  plainData(value: unknown, field: string, depth = 0): void {
    // Most data is fine: checked first without building a field path per element (a task's input
    // holds thousands of points); the walk below names the field once something fails.
    if (isPlainData(value, depth)) return;
    if (depth > MAX_DEPTH) this.fail(field, `is nested deeper than ${MAX_DEPTH} levels`);
    if (value === null || value === undefined) return;
    switch (typeof value) {
      case 'boolean':
      case 'string':
        return;
      case 'number':
        if (!Number.isFinite(value)) this.fail(field, 'must be a finite number', value);
        return;
      case 'object':
        break;
      default:
        this.fail(field, 'must be plain data (null, boolean, number, string, array, object or typed array)', value);
    }
    if (value instanceof Float64Array || value instanceof Float32Array) {
      for (let i = 0; i < value.length; i++) {
        if (!Number.isFinite(value[i])) this.fail(`${field}[${i}]`, 'must be a finite number', value[i]);
      }
      return;
    }
    if (ArrayBuffer.isView(value)) {
      if (INTEGER_ARRAYS.some((type) => value instanceof type)) return;
      this.fail(field, 'must be a Float64Array, Float32Array or integer typed array', value);
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) this.plainData(value[i], `${field}[${i}]`, depth + 1);
      return;
    }
    if (!isPlainObject(value)) this.fail(field, 'must be plain data (a plain object, not a class instance)', value);
    for (const [key, item] of Object.entries(value)) this.plainData(item, join(field, key), depth + 1);
  }
}

const INTEGER_ARRAYS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array] as const;

/** What Check.plainData accepts, as a yes or no (the same cases in the same order, no field names). */
function isPlainData(value: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (value === null || value === undefined) return true;
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (value instanceof Float64Array || value instanceof Float32Array) {
    for (let i = 0; i < value.length; i++) if (!Number.isFinite(value[i])) return false;
    return true;
  }
  if (ArrayBuffer.isView(value)) return INTEGER_ARRAYS.some((type) => value instanceof type);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isPlainData(value[i], depth + 1)) return false;
    return true;
  }
  if (!isPlainObject(value)) return false;
  for (const key of Object.keys(value)) if (!isPlainData(value[key], depth + 1)) return false;
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `field.key`, or `key` at the top level. */
export function join(field: string, key: string): string {
  return field === '$' ? key : `${field}.${key}`;
}

/** A short rendering of a bad value for an error message. */
function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return value.length > 40 ? `'${value.slice(0, 40)}...'` : `'${value}'`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}`;
  if (typeof value === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return name === undefined || name === 'Object' ? 'an object' : `a ${name}`;
  }
  return typeof value;
}

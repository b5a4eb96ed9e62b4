import { decode, MalformedMessageError } from '@relurec/protocol';
import { MAX_ROWS_PER_REQUEST, type OracleQueryRequest } from './OracleMessages.js';

const TYPE = 'OracleQueryRequest';
const BATCH_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Decodes and checks a query request against the served box's input width: rows an integer from 1
 * to MAX_ROWS_PER_REQUEST, inputs a Float64Array of exactly rows x inputDim finite values, an optional
 * batch part `{ id, rows >= rows }`, no other fields.
 * @returns the request, typed (inputs own their buffer)
 * @throws MalformedMessageError naming the field (`$`, `rows`, `inputs`, `inputs[k]`, `batch.id`, ...)
 */
export function validateQueryRequest(bytes: Uint8Array, inputDim: number, subject = ''): OracleQueryRequest {
  const where = subject === '' ? '' : ` on ${subject}`;
  const fail = (field: string, problem: string, ...got: [] | [unknown]): never => {
    const gotText = got.length > 0 ? ` (got ${describe(got[0])})` : '';
    throw new MalformedMessageError(`malformed ${TYPE}${where}: ${field} ${problem}${gotText}`, { field, subject });
  };
  const value = decode(bytes, subject);
  if (!isPlainObject(value)) return fail('$', 'must be an object { inputs, rows }', value);
  for (const key of Object.keys(value)) {
    if (key !== 'inputs' && key !== 'rows' && key !== 'batch') fail(key, `is not a field of ${TYPE}`);
  }
  for (const key of ['rows', 'inputs']) {
    if (!Object.hasOwn(value, key)) fail(key, 'is missing');
  }
  const { rows, inputs, batch } = value;
  if (typeof rows !== 'number' || !Number.isSafeInteger(rows) || rows < 1 || rows > MAX_ROWS_PER_REQUEST) {
    fail('rows', `must be an integer from 1 to ${MAX_ROWS_PER_REQUEST}`, rows);
  }
  const r = rows as number;
  if (!(inputs instanceof Float64Array)) return fail('inputs', 'must be a Float64Array (row-major rows x inputDim)', inputs);
  if (inputs.length !== r * inputDim) {
    fail('inputs', `must hold rows (${r}) x inputDim (${inputDim}) = ${r * inputDim} values, not ${inputs.length}`);
  }
  for (let k = 0; k < inputs.length; k++) {
    // x - x is 0 for finite x and NaN for NaN and +-Infinity.
    if (inputs[k]! - inputs[k]! !== 0) {
      fail(`inputs[${k}]`, `must be finite (row ${Math.floor(k / inputDim)}, column ${k % inputDim})`, inputs[k]);
    }
  }
  if (batch === undefined) return { inputs, rows: r };
  if (!isPlainObject(batch)) return fail('batch', 'must be an object { id, rows }', batch);
  for (const key of Object.keys(batch)) {
    if (key !== 'id' && key !== 'rows') fail(`batch.${key}`, 'is not a field of batch');
  }
  if (typeof batch.id !== 'string' || !BATCH_ID.test(batch.id)) fail('batch.id', `must match ${BATCH_ID}`, batch.id);
  if (typeof batch.rows !== 'number' || !Number.isSafeInteger(batch.rows) || batch.rows < r) {
    fail('batch.rows', `must be an integer >= rows (${r})`, batch.rows);
  }
  return { inputs, rows: r, batch: { id: batch.id as string, rows: batch.rows as number } };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number') return String(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length ?? value.byteLength})`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? typeof value;
  } catch {
    text = typeof value;
  }
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

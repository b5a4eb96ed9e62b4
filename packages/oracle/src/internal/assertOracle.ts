import type { Oracle } from '../Oracle.js';

/**
 * Checks that `value` looks like an {@link Oracle}: query and close methods, positive integer dims.
 * @throws TypeError when a method is missing; RangeError naming `<name>.inputDim` or `<name>.outputDim`
 */
export function assertOracle(value: Oracle, name: string): void {
  if (value === null || typeof value !== 'object' || typeof value.query !== 'function' || typeof value.close !== 'function') {
    throw new TypeError(`${name} must be an Oracle (with query and close methods)`);
  }
  for (const dim of ['inputDim', 'outputDim'] as const) {
    if (!Number.isSafeInteger(value[dim]) || value[dim] < 1) {
      throw new RangeError(`${name}.${dim} must be a positive integer, got ${value[dim]}`);
    }
  }
}

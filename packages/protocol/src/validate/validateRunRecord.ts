import type { RunRecord } from '../messages/RunRecord.js';
import { Check } from './internal/Check.js';
import { validateOracleSpec } from './validateOracleSpec.js';

const REQUIRED = [
  'v', 'runId', 'target', 'oracle', 'inputDim', 'outputDim', 'seed', 'budget', 'settings', 'createdAt',
] as const;

/**
 * Checks every field of a run record: version, runId, target, oracle ({@link validateOracleSpec}),
 * inputDim and outputDim (integers >= 1), seed (safe integer), budget (null or integer >= 0),
 * settings (a plain object of plain data), createdAt (ms >= 0).
 * @returns the same value, typed.
 * @throws MalformedMessageError naming the first bad field.
 */
export function validateRunRecord(value: unknown, subject = ''): RunRecord {
  const check = new Check('RunRecord', subject);
  const m = check.object(value, '$', REQUIRED);
  check.version(m.v);
  check.runId(m.runId, 'runId');
  check.string(m.target, 'target');
  validateOracleSpec(m.oracle, subject, 'oracle', 'RunRecord');
  check.integer(m.inputDim, 'inputDim', 1);
  check.integer(m.outputDim, 'outputDim', 1);
  check.integer(m.seed, 'seed');
  check.budget(m.budget, 'budget');
  check.record(m.settings, 'settings');
  check.plainData(m.settings, 'settings');
  check.number(m.createdAt, 'createdAt', 0);
  return m as unknown as RunRecord;
}

import { formatArchitecture, parseArchitecture } from '@relurec/network';
import { ExperimentSpecError } from '../errors/ExperimentSpecError.js';
import { TargetInit, type ExperimentSetting, type ExperimentSpec, type TrainingSpec } from './ExperimentSpec.js';

const SPEC_FIELDS = ['architectures', 'inits', 'seeds', 'settings', 'training', 'fidelitySamples'];
const SETTING_FIELDS = ['name', 'workers', 'budget', 'domainScale', 'recoverySeed'];
const TRAINING_FIELDS = ['samples', 'epochs'];
const NAME = /^[A-Za-z0-9._-]+$/;

/**
 * Validates a parsed experiment spec (JSON value) and returns it frozen. Unknown fields are errors
 * (a misspelt 'wokers' must not silently run with the default).
 * @param file where it came from, used in messages
 * @throws ExperimentSpecError naming the file and the field (e.g. `settings[0].workers`)
 */
export function parseExperimentSpec(doc: unknown, file = '<spec>'): ExperimentSpec {
  const fail = (field: string, message: string): never => {
    throw new ExperimentSpecError(message, file, field);
  };
  const d = objectAt(doc, '(root)', fail);
  unknownFields(d, SPEC_FIELDS, '', fail);

  const architectures = listAt(d.architectures, 'architectures', fail).map((a, i) => {
    if (typeof a !== 'string') fail(`architectures[${i}]`, `must be a string like '10-20-1', got ${JSON.stringify(a)}`);
    try {
      // Written back in canonical form ('010-20-1' -> '10-20-1'): it is part of the cell id.
      return formatArchitecture(parseArchitecture(a as string));
    } catch (cause) {
      throw new ExperimentSpecError((cause as Error).message, file, `architectures[${i}]`, { cause });
    }
  });
  const inits = listAt(d.inits, 'inits', fail).map((v, i) => {
    if (!Object.values(TargetInit).includes(v as TargetInit)) fail(`inits[${i}]`, `must be one of ${Object.values(TargetInit).join(', ')}, got ${JSON.stringify(v)}`);
    return v as TargetInit;
  });
  const seeds = listAt(d.seeds, 'seeds', fail).map((v, i) => {
    if (!Number.isSafeInteger(v)) fail(`seeds[${i}]`, `must be an integer, got ${JSON.stringify(v)}`);
    return v as number;
  });
  noDuplicates(architectures, 'architectures', fail);
  noDuplicates(inits, 'inits', fail);
  noDuplicates(seeds, 'seeds', fail);

  const spec: { -readonly [K in keyof ExperimentSpec]: ExperimentSpec[K] } = { architectures, inits, seeds };
  if (d.settings !== undefined) {
    const settings = listAt(d.settings, 'settings', fail).map((raw, i) => parseSetting(raw, `settings[${i}]`, fail));
    noDuplicates(settings.map((s) => s.name), 'settings[].name', fail);
    spec.settings = settings;
  }
  if (d.training !== undefined) {
    const t = objectAt(d.training, 'training', fail);
    unknownFields(t, TRAINING_FIELDS, 'training.', fail);
    const training: { -readonly [K in keyof TrainingSpec]: TrainingSpec[K] } = {};
    if (t.samples !== undefined) training.samples = integerAt(t.samples, 'training.samples', 1, fail);
    if (t.epochs !== undefined) training.epochs = integerAt(t.epochs, 'training.epochs', 0, fail);
    spec.training = training;
  }
  if (d.fidelitySamples !== undefined) spec.fidelitySamples = integerAt(d.fidelitySamples, 'fidelitySamples', 0, fail);
  return deepFreeze(spec);
}

type Fail = (field: string, message: string) => never;

function parseSetting(raw: unknown, at: string, fail: Fail): ExperimentSetting {
  const s = objectAt(raw, at, fail);
  unknownFields(s, SETTING_FIELDS, `${at}.`, fail);
  if (typeof s.name !== 'string' || !NAME.test(s.name)) {
    fail(`${at}.name`, `must be a non-empty name of letters, digits, '.', '_' or '-' (it is part of the cell id), got ${JSON.stringify(s.name)}`);
  }
  const setting: { -readonly [K in keyof ExperimentSetting]: ExperimentSetting[K] } = { name: s.name as string };
  if (s.workers !== undefined) setting.workers = integerAt(s.workers, `${at}.workers`, 1, fail);
  if (s.budget !== undefined) setting.budget = integerAt(s.budget, `${at}.budget`, 0, fail);
  if (s.domainScale !== undefined) {
    if (typeof s.domainScale !== 'number' || !(Number.isFinite(s.domainScale) && s.domainScale > 0)) {
      fail(`${at}.domainScale`, `must be a positive number, got ${JSON.stringify(s.domainScale)}`);
    }
    setting.domainScale = s.domainScale as number;
  }
  if (s.recoverySeed !== undefined) setting.recoverySeed = integerAt(s.recoverySeed, `${at}.recoverySeed`, Number.MIN_SAFE_INTEGER, fail);
  return setting;
}

function objectAt(v: unknown, at: string, fail: Fail): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(at, `must be a JSON object, got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
  return v as Record<string, unknown>;
}

function listAt(v: unknown, at: string, fail: Fail): unknown[] {
  if (v === undefined) fail(at, 'is missing (a non-empty array is required)');
  if (!Array.isArray(v) || v.length === 0) fail(at, `must be a non-empty array, got ${JSON.stringify(v)}`);
  return v as unknown[];
}

function integerAt(v: unknown, at: string, min: number, fail: Fail): number {
  if (!Number.isSafeInteger(v) || (v as number) < min) {
    const what = min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : 'an integer';
    fail(at, `must be ${what}, got ${JSON.stringify(v)}`);
  }
  return v as number;
}

function unknownFields(o: Record<string, unknown>, known: readonly string[], prefix: string, fail: Fail): void {
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) fail(`${prefix}${key}`, `unknown field (known: ${known.join(', ')})`);
  }
}

function noDuplicates(values: readonly unknown[], at: string, fail: Fail): void {
  const seen = new Set<unknown>();
  for (const v of values) {
    if (seen.has(v)) fail(at, `${JSON.stringify(v)} appears twice (cell ids would repeat)`);
    seen.add(v);
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

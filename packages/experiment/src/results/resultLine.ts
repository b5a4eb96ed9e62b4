import type { CellResult } from './CellResult.js';

/**
 * One JSON line (no newline) of a result. JSON has no Infinity or NaN: bits of an exact match are
 * written as the string "Infinity" and NaN as null, as `relurec compare --json` does.
 */
export function encodeResultLine(result: CellResult): string {
  return JSON.stringify(result, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? null : v > 0 ? 'Infinity' : '-Infinity';
    return v;
  });
}

/**
 * The result on a line of results.jsonl, or a message saying what is wrong with it.
 * Checks the fields a report and a resume rely on; the rest is taken as written.
 */
export function decodeResultLine(line: string): { result: CellResult } | { error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (cause) {
    return { error: `not valid JSON (${(cause as Error).message})` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { error: 'not a JSON object' };
  const r = raw as Record<string, unknown>;
  for (const key of ['id', 'arch', 'init', 'setting'] as const) if (typeof r[key] !== 'string') return { error: `${key} must be a string` };
  for (const key of ['seed', 'params', 'queries', 'queriesPerParam', 'seconds', 'workers'] as const) {
    if (typeof r[key] !== 'number' || !Number.isFinite(r[key])) return { error: `${key} must be a finite number` };
  }
  for (const key of ['architectureMatch', 'complete'] as const) if (typeof r[key] !== 'boolean') return { error: `${key} must be true or false` };
  const bits = r.bits === 'Infinity' ? Infinity : r.bits === '-Infinity' ? -Infinity : r.bits === null ? NaN : r.bits;
  if (typeof bits !== 'number') return { error: 'bits must be a number, "Infinity" or null' };
  const orNull = (v: unknown) => (typeof v === 'number' ? v : v === 'Infinity' ? Infinity : null);
  return {
    result: {
      ...(r as unknown as CellResult),
      bits,
      fidelity: orNull(r.fidelity),
      fidelityRelative: orNull(r.fidelityRelative),
      allMatched: r.allMatched === true,
      budget: typeof r.budget === 'number' ? r.budget : null,
      domainScale: typeof r.domainScale === 'number' ? r.domainScale : 1,
      recoverySeed: typeof r.recoverySeed === 'number' ? r.recoverySeed : (r.seed as number),
      recoveredArch: typeof r.recoveredArch === 'string' ? r.recoveredArch : null,
      warnings: Array.isArray(r.warnings) ? r.warnings.map(String) : [],
    },
  };
}

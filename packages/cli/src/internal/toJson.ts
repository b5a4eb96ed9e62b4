/**
 * JSON text of a report, with a deliberate rule for non-finite numbers (which JSON cannot hold and
 * JSON.stringify would silently turn into null): Infinity and -Infinity become the strings
 * "Infinity" and "-Infinity" (an exact match has Infinity bits), NaN becomes null (nothing was
 * compared). Typed arrays become plain arrays.
 */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? null : v > 0 ? 'Infinity' : '-Infinity';
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      return v;
    },
    indent,
  );
}

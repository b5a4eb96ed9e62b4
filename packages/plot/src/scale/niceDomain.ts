import { niceStep } from './linearScale.js';
import { ScaleKind } from './Scale.js';

/**
 * A domain that holds every value, widened to round numbers: whole decades for a log scale,
 * multiples of a 1-2-5 step for a linear one (with `includeZero`, 0 is inside). Non-finite values,
 * and for a log scale values <= 0, are ignored; with nothing left the domain is [1, 10] (log) or
 * [0, 1] (linear). A single value is widened by a decade (log) or by one unit on each side.
 */
export function niceDomain(values: Iterable<number>, kind: ScaleKind, options: { includeZero?: boolean } = {}): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (kind === ScaleKind.log && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (kind === ScaleKind.log) {
    if (lo > hi) return [1, 10];
    let e0 = Math.floor(Math.log10(lo) + 1e-9), e1 = Math.ceil(Math.log10(hi) - 1e-9);
    if (e1 <= e0) e1 = e0 + 1;
    return [Number(`1e${e0}`), Number(`1e${e1}`)];
  }
  if (options.includeZero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  if (lo > hi) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  const step = niceStep((hi - lo) / 5);
  return [Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step];
}

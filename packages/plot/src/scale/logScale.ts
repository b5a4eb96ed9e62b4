import { formatTickLabel } from './formatTickLabel.js';
import { ScaleKind, type Scale, type Tick } from './Scale.js';
import { checkDomainAndRange } from './internal/checkDomainAndRange.js';

/**
 * A base-10 logarithmic scale (domain strictly positive). Ticks at powers of 10; when the domain
 * holds fewer than three of them, also at 2 and 5 times each power.
 */
export function logScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  checkDomainAndRange(domain, range, true);
  const [d0, d1] = domain, [r0, r1] = range;
  const l0 = Math.log10(d0), l1 = Math.log10(d1);
  const k = (r1 - r0) / (l1 - l0);
  return Object.freeze({
    kind: ScaleKind.log,
    domain: Object.freeze([d0, d1] as const),
    range: Object.freeze([r0, r1] as const),
    map: (value: number) => r0 + (Math.log10(value) - l0) * k,
    ticks(): Tick[] {
      const lo = Math.floor(l0 - 1e-9), hi = Math.ceil(l1 + 1e-9);
      const inside = (v: number) => v >= d0 * (1 - 1e-9) && v <= d1 * (1 + 1e-9);
      const powers: number[] = [];
      for (let e = lo; e <= hi; e++) if (inside(10 ** e)) powers.push(e);
      const multiples = powers.length >= 3 ? [1] : [1, 2, 5];
      const ticks: Tick[] = [];
      for (let e = lo; e <= hi; e++) {
        for (const m of multiples) {
          // m * 10^e computed from the decimal string so that labels read '0.002', not '0.0020000000000000005'.
          const value = Number(`${m}e${e}`);
          if (inside(value)) ticks.push({ value, label: formatTickLabel(value, Math.max(0, -e)) });
        }
      }
      return ticks;
    },
  });
}

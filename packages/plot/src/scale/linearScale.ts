import { formatTickLabel } from './formatTickLabel.js';
import { ScaleKind, type Scale, type Tick } from './Scale.js';
import { checkDomainAndRange } from './internal/checkDomainAndRange.js';

export interface LinearScaleOptions {
  /** About how many ticks to draw; the step is 1, 2 or 5 times a power of 10. Default 5. */
  tickCount?: number;
}

/** A linear scale; ticks at multiples of a 1-2-5 step. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number], options: LinearScaleOptions = {}): Scale {
  checkDomainAndRange(domain, range, false);
  const target = options.tickCount ?? 5;
  if (!Number.isInteger(target) || target < 1) throw new RangeError(`options.tickCount must be a positive integer, got ${target}`);
  const [d0, d1] = domain, [r0, r1] = range;
  const k = (r1 - r0) / (d1 - d0);
  return Object.freeze({
    kind: ScaleKind.linear,
    domain: Object.freeze([d0, d1] as const),
    range: Object.freeze([r0, r1] as const),
    map: (value: number) => r0 + (value - d0) * k,
    ticks(): Tick[] {
      const step = niceStep((d1 - d0) / target);
      const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
      const ticks: Tick[] = [];
      // Integer multiples of the step, so that 0.1 + 0.2 style drift never reaches a label.
      for (let i = Math.ceil(d0 / step - 1e-9); i * step <= d1 + step * 1e-9; i++) {
        const value = i * step;
        ticks.push({ value, label: formatTickLabel(Math.abs(value) < step * 1e-9 ? 0 : value, decimals) });
      }
      return ticks;
    },
  });
}

/** The 1-2-5 step at or above `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

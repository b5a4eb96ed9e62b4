/** A count with a k/M/G suffix past 10000 ('9876', '12.3k', '4.56M'), to keep columns narrow. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '?';
  const a = Math.abs(n);
  if (a < 10_000) return String(Math.round(n));
  if (a < 1e6) return `${(n / 1e3).toPrecision(3)}k`;
  if (a < 1e9) return `${(n / 1e6).toPrecision(3)}M`;
  return `${(n / 1e9).toPrecision(3)}G`;
}

/** Throws a RangeError naming `domain` or `range` when a scale cannot be built from them. */
export function checkDomainAndRange(domain: readonly [number, number], range: readonly [number, number], positive: boolean): void {
  if (!Array.isArray(domain) || domain.length !== 2 || !domain.every(Number.isFinite) || !(domain[0] < domain[1])) {
    throw new RangeError(`domain must be two finite numbers [low, high] with low < high, got ${JSON.stringify(domain)}`);
  }
  if (positive && !(domain[0] > 0)) throw new RangeError(`domain of a log scale must be positive, got ${JSON.stringify(domain)}`);
  if (!Array.isArray(range) || range.length !== 2 || !range.every(Number.isFinite) || range[0] === range[1]) {
    throw new RangeError(`range must be two different finite pixel positions, got ${JSON.stringify(range)}`);
  }
}

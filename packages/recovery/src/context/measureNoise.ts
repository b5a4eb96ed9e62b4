import type { Probe } from '@relurec/geometry';
import type { Rng } from '@relurec/random';

/**
 * The oracle's noise floor (ALGORITHM.md 2.6): second differences f(x + d u) - 2 f(x) + f(x - d u)
 * vanish inside a linear region, so what remains is the black box's own error (rounding of a float32
 * or float64 forward pass, or added noise). Median over `points` random places, divided by
 * 0.6745 sqrt(6) (the median of |N(0, 6 sigma^2)|, the second difference of independent errors);
 * 3 queries a point. `d` is 1e-6 domain
 * scales, far below any region width, so a kink between the three points is rare, and the median
 * ignores it.
 */
export async function measureNoise(probe: Probe, rng: Rng, domainScale: number, points = 6): Promise<number> {
  const n0 = probe.inputDim;
  const d = 1e-6 * domainScale;
  const triples = Array.from({ length: points }, () => {
    const x = rng.gaussianArray(n0).map((v) => v * domainScale);
    const u = rng.unitVector(n0);
    return [x.map((v, i) => v - d * u[i]), x, x.map((v, i) => v + d * u[i])];
  });
  const values = await Promise.all(triples.map((t) => probe.scalars(t)));
  const second = values.map(([a, b, c]) => Math.abs(a - 2 * b + c)).sort((p, q) => p - q);
  return second[second.length >> 1] / (0.6745 * Math.sqrt(6));
}

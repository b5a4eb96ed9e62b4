import type { Rng } from '@relurec/random';

/**
 * Voronoi cells of K seeded centres (ALGORITHM.md section 8): a point belongs to its nearest
 * centre, which any worker can test in any dimension (a grid does not survive 784 inputs). Layer-1
 * segments start in the cells in turn, so every round of K segments covers the whole domain.
 */
export interface Cells {
  readonly centers: readonly Float64Array[];
  /** Index of the cell x lies in. */
  cellOf(x: Float64Array): number;
  /** A point from N(0, scale^2 I) in cell c (rejection sampling; after 64 K draws the last draw). */
  pointIn(c: number, scale: number, rng: Rng): Float64Array;
}

export function createCells(count: number, dim: number, rng: Rng): Cells {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`cells must be a positive integer, got ${count}`);
  // Centres at radius ~ sqrt(dim) like the inputs themselves; cells scale with the domain.
  const centers = Array.from({ length: count }, () => rng.gaussianArray(dim));
  const cellOf = (x: Float64Array, scale = 1) => {
    let best = 0, bestD = Infinity;
    centers.forEach((c, j) => {
      let d = 0;
      for (let i = 0; i < dim; i++) d += (x[i] - scale * c[i]) ** 2;
      if (d < bestD) { bestD = d; best = j; }
    });
    return best;
  };
  return {
    centers,
    cellOf: (x) => cellOf(x),
    pointIn(c, scale, r) {
      let x = r.gaussianArray(dim).map((v) => v * scale);
      for (let tries = 1; tries < 64 * count && cellOf(x, scale) !== c; tries++) x = r.gaussianArray(dim).map((v) => v * scale);
      return x;
    },
  };
}

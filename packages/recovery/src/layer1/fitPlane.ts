import { nullVector } from '@relurec/linalg';

/**
 * The hyperplane through points (least squares, unit normal): the smallest right singular vector of
 * the centred points. Oriented along `orient`. Far-test positions are exact to ~1e-16, measured
 * normals to ~1e-10, which is why layer 1 is fitted from positions (ALGORITHM.md section 3).
 * `weights` (one per point, > 0): each row counts in proportion, e.g. the slope jump the far test
 * saw there: a position's rounding error is ~ eps |f| / jump, and where the neuron barely shows in
 * the output (jumps of 1e-4..1e-2 next to 0.5 elsewhere) one such point cost up to 5x in the fit.
 */
export function fitPlane(points: Float64Array[], orient: Float64Array, weights?: readonly number[]): { normal: Float64Array; offset: number; spread: Float64Array } {
  const n = orient.length, k = points.length;
  if (k < n) throw new RangeError(`fitPlane needs at least ${n} points in ${n} dimensions, got ${k}`);
  if (weights !== undefined && (weights.length !== k || !weights.every((w) => w > 0 && Number.isFinite(w)))) throw new RangeError('fitPlane weights must be one positive finite number per point');
  const w = weights ?? points.map(() => 1);
  const mean = new Float64Array(n);
  let total = 0;
  points.forEach((p, r) => {
    total += w[r] * w[r];
    for (let i = 0; i < n; i++) mean[i] += w[r] * w[r] * p[i];
  });
  for (let i = 0; i < n; i++) mean[i] /= total;
  const A = new Float64Array(k * n);
  points.forEach((p, r) => {
    for (let i = 0; i < n; i++) A[r * n + i] = w[r] * (p[i] - mean[i]);
  });
  const { vector, singularValues } = nullVector(A, k, n);
  let c = 0;
  for (let i = 0; i < n; i++) c += vector[i] * orient[i];
  if (c < 0) for (let i = 0; i < n; i++) vector[i] = -vector[i];
  let offset = 0;
  for (let i = 0; i < n; i++) offset -= vector[i] * mean[i];
  return { normal: vector, offset, spread: singularValues };
}

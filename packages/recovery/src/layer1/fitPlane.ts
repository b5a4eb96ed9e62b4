import { nullVector } from '@relurec/linalg';

/**
 * The hyperplane through points (least squares, unit normal): the smallest right singular vector of
 * the centred points. Oriented along `orient`. Far-test positions are exact to ~1e-16, measured
 * normals to ~1e-10, which is why layer 1 is fitted from positions (ALGORITHM.md section 3).
 */
export function fitPlane(points: Float64Array[], orient: Float64Array): { normal: Float64Array; offset: number; spread: Float64Array } {
  const n = orient.length, k = points.length;
  if (k < n) throw new RangeError(`fitPlane needs at least ${n} points in ${n} dimensions, got ${k}`);
  const mean = new Float64Array(n);
  for (const p of points) for (let i = 0; i < n; i++) mean[i] += p[i] / k;
  const A = new Float64Array(k * n);
  points.forEach((p, r) => {
    for (let i = 0; i < n; i++) A[r * n + i] = p[i] - mean[i];
  });
  const { vector, singularValues } = nullVector(A, k, n);
  let c = 0;
  for (let i = 0; i < n; i++) c += vector[i] * orient[i];
  if (c < 0) for (let i = 0; i < n; i++) vector[i] = -vector[i];
  let offset = 0;
  for (let i = 0; i < n; i++) offset -= vector[i] * mean[i];
  return { normal: vector, offset, spread: singularValues };
}

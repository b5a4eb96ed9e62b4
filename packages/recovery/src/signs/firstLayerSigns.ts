import type { Hyperplane } from '../layer1/Hyperplane.js';
import { planeValue } from '../layer1/Hyperplane.js';
import type { MeasuredRegion } from '../layer1/findFirstLayer.js';
import { solveFlips, type FlipSolution } from './solveFlips.js';

/**
 * Signs of the only hidden layer from measured region Jacobians (ALGORITHM.md section 5, gradient
 * form). With c_oj the jump of output o across plane j (in the plane's orientation),
 * J_o(x) - sum_{j: zeta_j(x) > 0} c_oj w_j = Lambda_o = -sum_j f_j c_oj w_j in every region, so
 * each measured Jacobian gives Lambda at no query cost; then A f = Lambda over all outputs.
 */
export function firstLayerSigns(planes: Hyperplane[], regions: MeasuredRegion[], outputDim: number): FlipSolution & { lambdaSpread: number } {
  const { A, lambda, rows, spread } = signSystem(planes, regions, outputDim);
  return { ...solveFlips(A, rows, planes.length, lambda), lambdaSpread: spread };
}

/**
 * ||A f - Lambda|| / ||Lambda|| for signs measured another way (flips[j] = 1 where plane j's
 * orientation is wrong): the region Jacobians' check of them, a matrix-vector product instead of
 * the least-squares solve (an SVD of 784 x 128 on a wide layer: 0.4 s of a coordinator's time).
 */
export function flipsResidual(planes: Hyperplane[], regions: MeasuredRegion[], outputDim: number, flips: Uint8Array): number {
  const { A, lambda, rows } = signSystem(planes, regions, outputDim);
  const k = planes.length;
  let s = 0, l2 = 0;
  for (let r = 0; r < rows; r++) {
    let v = -lambda[r];
    for (let j = 0; j < k; j++) if (flips[j]) v += A[r * k + j];
    s += v * v;
    l2 += lambda[r] * lambda[r];
  }
  return Math.sqrt(s) / Math.max(1e-300, Math.sqrt(l2));
}

/** A f = Lambda of the gradient form, Lambda the per-entry median over the measured regions. */
function signSystem(planes: Hyperplane[], regions: MeasuredRegion[], outputDim: number): { A: Float64Array; lambda: Float64Array; rows: number; spread: number } {
  const k = planes.length, n = planes[0].normal.length, m = outputDim;
  if (regions.length === 0) throw new RangeError('firstLayerSigns needs at least one measured region');
  const lambdas = regions.map((reg) => {
    const L = Float64Array.from(reg.jacobian);
    planes.forEach((pl) => {
      if (planeValue(pl, reg.point) > 0) for (let o = 0; o < m; o++) for (let i = 0; i < n; i++) L[o * n + i] -= pl.jump[o] * pl.normal[i];
    });
    return L;
  });
  // Median per entry: a region whose Jacobian was measured across an unseen boundary cannot pull it.
  const lambda = new Float64Array(m * n);
  let spread = 0;
  for (let e = 0; e < m * n; e++) {
    const vals = lambdas.map((L) => L[e]).sort((a, b) => a - b);
    lambda[e] = vals[vals.length >> 1];
    spread = Math.max(spread, vals[vals.length - 1] - vals[0]);
  }
  const A = new Float64Array(m * n * k);
  planes.forEach((pl, j) => {
    for (let o = 0; o < m; o++) for (let i = 0; i < n; i++) A[(o * n + i) * k + j] = -pl.jump[o] * pl.normal[i];
  });
  return { A, lambda, rows: m * n, spread };
}

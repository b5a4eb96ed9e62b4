import { createRng, deriveSeed } from '@relurec/random';
import type { Probe } from '../probe/Probe.js';
import { rowKey } from '../probe/rowKey.js';

export interface RegionJacobianOptions {
  /** First finite-difference step (input units). */
  step: number;
  /** Absolute tolerance of the verification query, per output (output units). */
  tolerance: number;
  /** Tries, each with the step divided by `shrink`. Default 5. */
  maxTries?: number;
  /** Default 10. */
  shrink?: number;
}

export interface RegionJacobian {
  /** Row-major outputDim x inputDim: d y_o / d x_i in the linear region of the base point. */
  jacobian: Float64Array;
  /** N(x) at the base point. */
  value: Float64Array;
  /** The step that passed verification. */
  step: number;
}

export class GradientNotFoundError extends Error {
  override readonly name = 'GradientNotFoundError';
  constructor(readonly tries: number, readonly lastStep: number) {
    super(`no linear region around the point: verification failed ${tries} times (last step ${lastStep})`);
  }
}

/**
 * The Jacobian of N in the linear region containing x: forward differences along each axis plus
 * one verification query along a random direction (ALGORITHM.md 2.3); about n0 + 2 queries.
 * Inside one region finite differences of a linear map are exact up to rounding.
 * The verification direction is drawn from a hash of x, so concurrent callers stay deterministic.
 */
export async function regionJacobian(probe: Probe, x: Float64Array, options: RegionJacobianOptions): Promise<RegionJacobian> {
  const n = probe.inputDim, m = probe.outputDim;
  const maxTries = options.maxTries ?? 5;
  const shrink = options.shrink ?? 10;
  const v = createRng(deriveSeed(0, 'verify', rowKey(x))).unitVector(n);
  let step = options.step;
  for (let attempt = 0; attempt < maxTries; attempt++, step /= shrink) {
    const points: Float64Array[] = [x];
    for (let i = 0; i < n; i++) {
      const p = Float64Array.from(x);
      p[i] += step;
      points.push(p);
    }
    const pv = new Float64Array(n);
    for (let i = 0; i < n; i++) pv[i] = x[i] + step * v[i];
    points.push(pv);
    const ys = await probe.outputs(points);
    const y0 = ys[0];
    const J = new Float64Array(m * n);
    for (let i = 0; i < n; i++) {
      const yi = ys[i + 1];
      for (let o = 0; o < m; o++) J[o * n + i] = (yi[o] - y0[o]) / step;
    }
    const yv = ys[n + 1];
    let ok = true;
    for (let o = 0; o < m && ok; o++) {
      let pred = y0[o];
      for (let i = 0; i < n; i++) pred += step * J[o * n + i] * v[i];
      if (Math.abs(pred - yv[o]) > options.tolerance) ok = false;
    }
    if (ok) return { jacobian: J, value: y0, step };
  }
  throw new GradientNotFoundError(maxTries, step * shrink);
}

import { solveLeastSquares } from '@relurec/linalg';
import { denseLayer, type DenseLayer } from '@relurec/network';

/**
 * The affine map y = A x + c closest to cached (x, y) pairs (minimum-norm least squares when the
 * samples do not span the input): the whole model when no ReLU boundary was seen, and the best
 * stand-in, marked incomplete, when a run stopped before finding one.
 */
export function fitAffine(xs: Float64Array[], ys: Float64Array[]): { layer: DenseLayer; relativeResidual: number } {
  if (xs.length === 0) throw new RangeError('fitAffine needs at least one sample');
  const n0 = xs[0].length, m = ys[0].length, rows = xs.length, cols = n0 + 1;
  const F = new Float64Array(rows * cols);
  xs.forEach((x, r) => {
    F.set(x, r * cols);
    F[r * cols + n0] = 1;
  });
  const A = new Float64Array(m * n0), c = new Float64Array(m);
  let worst = 0, scale = 0;
  for (let o = 0; o < m; o++) {
    const y = Float64Array.from(ys, (v) => v[o]);
    const { x, residual } = solveLeastSquares(F, rows, cols, y, 1e-12);
    A.set(x.subarray(0, n0), o * n0);
    c[o] = x[n0];
    worst = Math.max(worst, residual);
    for (const v of y) scale = Math.max(scale, Math.abs(v));
  }
  return { layer: denseLayer(n0, m, A, c), relativeResidual: worst / Math.max(scale, 1e-300) };
}

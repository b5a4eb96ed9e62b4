import { solveLeastSquares } from '@relurec/linalg';
import type { DenseLayer } from '@relurec/network';
import { unsignedFeatures } from './unsignedFeatures.js';

export interface UnsignedFitMisfit {
  /** Largest relative misfit over the inputs the final fit kept (0 for an exact model). */
  fitResidual: number;
  /**
   * Per test input, max over outputs of |y - fit| over the larger of its own max |y| and the fitted
   * inputs' (inputs far out have outputs many times the domain's: each is judged on its own size).
   */
  misfits: number[];
}

/**
 * Which test inputs the unsigned output form of layers 1..L misses: y = U ReLU(zeta^L) +
 * Lambda h^(L-1) + b, fitted per output by least squares on (xs, ys) and the test inputs, each row
 * weighted by 1 / its output's size. That form is exact wherever the known layers hold every neuron
 * that acts, whatever the signs of layer L (ReLU(-t) = ReLU(t) - t), so a test input it misses lies
 * where a neuron none of them holds is active: the evidence for a middle-layer neuron that no trace
 * and no sample touched (ALGORITHM.md section 7; 40-20-10-10-1 rk 1 has a layer-2 neuron active on
 * 0.01 % of N(0, I) inputs and on ~1 % of N(0, 9 I)). The test inputs take part in the fit: a
 * layer-L neuron active on every sample is otherwise inseparable from the Lambda block there and
 * extrapolates wrongly where it is off (11 % of far inputs "missed" that way on that net). Test
 * inputs the fit misses are left out and the fit repeated, until it is exact on the rest (or
 * `rounds` are spent). Pure: no queries.
 */
export function unsignedFitMisfit(known: readonly DenseLayer[], xs: readonly Float64Array[], ys: readonly Float64Array[], testXs: readonly Float64Array[], testYs: readonly Float64Array[], exact = 1e-9, rounds = 8): UnsignedFitMisfit {
  const L = known.length;
  if (L < 2) throw new RangeError(`unsignedFitMisfit needs at least two known layers, got ${L}`);
  if (xs.length !== ys.length || testXs.length !== testYs.length) throw new RangeError('unsignedFitMisfit: inputs and outputs differ in number');
  const nL = known[L - 1].outDim, cols = nL + known[L - 1].inDim + 1;
  if (xs.length < 2 * cols) throw new RangeError(`unsignedFitMisfit needs at least ${2 * cols} fitted inputs, got ${xs.length}`);
  const allX = [...xs, ...testXs], allY = [...ys, ...testYs], N = allX.length, m = ys[0].length;
  const { F } = unsignedFeatures(known, allX);
  let fitScale = 1e-300;
  for (const y of ys) for (const v of y) fitScale = Math.max(fitScale, Math.abs(v));
  const size = allY.map((y) => Math.max(fitScale, ...Array.from(y, Math.abs)));
  let keep = Array.from({ length: N }, (_, r) => r);
  let rel = new Array<number>(N).fill(0);
  for (let round = 0; ; round++) {
    const A = new Float64Array(keep.length * cols);
    keep.forEach((r, i) => {
      for (let c = 0; c < cols; c++) A[i * cols + c] = F[r * cols + c] / size[r];
    });
    rel = new Array<number>(N).fill(0);
    for (let o = 0; o < m; o++) {
      const { x: coef } = solveLeastSquares(A, keep.length, cols, Float64Array.from(keep, (r) => allY[r][o] / size[r]), 1e-13);
      for (let r = 0; r < N; r++) {
        let v = -allY[r][o];
        for (let c = 0; c < cols; c++) v += F[r * cols + c] * coef[c];
        rel[r] = Math.max(rel[r], Math.abs(v) / size[r]);
      }
    }
    const worst = Math.max(...keep.map((r) => rel[r]));
    if (worst <= exact || round >= rounds) return { fitResidual: worst, misfits: rel.slice(xs.length) };
    // The test inputs missed by more than a tenth of the worst: the fit converges geometrically.
    const next = keep.filter((r) => r < xs.length || rel[r] <= Math.max(exact, 0.1 * worst));
    if (next.length === keep.length) return { fitResidual: worst, misfits: rel.slice(xs.length) };
    keep = next;
  }
}

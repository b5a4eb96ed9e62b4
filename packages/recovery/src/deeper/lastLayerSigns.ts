import { solveLeastSquares } from '@relurec/linalg';
import type { DenseLayer } from '@relurec/network';
import { localValues } from '../known/localState.js';
import { unsignedFeatures } from './unsignedFeatures.js';
import { solveFlips, type FlipSolution } from '../signs/solveFlips.js';

export interface LastLayerSigns extends FlipSolution {
  /** Largest |y - fit| / max |y| of the unsigned output fit (0 for an exact model). */
  fitResidual: number;
  /** With fitOnly: per sample, max over outputs of |y - fit| (output units). */
  residuals?: number[];
}

/**
 * Signs of the last hidden layer L >= 2 from the output (ALGORITHM.md section 5): fit every output
 * y_o on [ReLU(zeta^L), h^(L-1), 1] over cached samples (exact: ReLU(-t) = ReLU(t) - t), then solve
 * Lambda_o = -sum_j f_j c_oj V_j over all outputs, m * n_(L-1) equations for n_L indicators.
 * `known` holds layers 1..L with the signs of layers < L fixed. `fitOnly` skips the sign solve
 * (flips all 0, margin NaN): only `fitResidual` is meaningful, and it then also reports a Lambda block
 * that no flips explain (a missing always-active neuron, which the unsigned fit absorbs exactly).
 * `skipInputs`: components of Lambda left out (inputs with an unseen weight into layer L).
 */
export function lastLayerSigns(known: readonly DenseLayer[], xs: Float64Array[], ys: Float64Array[], fitOnly = false, skipInputs: number[] = [], onlyInputsOff = true): LastLayerSigns {
  const L = known.length;
  const top = known[L - 1];
  if (skipInputs.length > 0 && onlyInputsOff) {
    // Where an input with an unseen weight is active, the recovered row differs from the true one
    // and may even have the other state: only samples where all such inputs are off are exact.
    const keep = xs.map((x) => localValues(known, x).activations[L - 2]).map((h) => skipInputs.every((j) => h[j] === 0));
    xs = xs.filter((_, r) => keep[r]);
    ys = ys.filter((_, r) => keep[r]);
  }
  const nL = top.outDim, nP = top.inDim, m = ys[0].length, rows = xs.length, cols = nL + nP + 1;
  if (rows < 2 * cols) throw new RangeError(`lastLayerSigns needs at least ${2 * cols} samples, got ${rows}`);
  const { F } = unsignedFeatures(known, xs);
  // Inputs j with an unseen weight in some row: Lambda_oj holds an unknown share, so component j is left out.
  const comps = Array.from({ length: nP }, (_, i) => i).filter((i) => !skipInputs.includes(i));
  const nC = comps.length;
  const A = new Float64Array(m * nC * nL), lam = new Float64Array(m * nC);
  let worst = 0, scale = 0;
  const residuals = new Array<number>(rows).fill(0);
  for (let o = 0; o < m; o++) {
    const y = Float64Array.from(ys, (v) => v[o]);
    const { x } = solveLeastSquares(F, rows, cols, y, 1e-13);
    for (let r = 0; r < rows; r++) {
      let v = -y[r];
      for (let c = 0; c < cols; c++) v += F[r * cols + c] * x[c];
      worst = Math.max(worst, Math.abs(v));
      residuals[r] = Math.max(residuals[r], Math.abs(v));
      scale = Math.max(scale, Math.abs(y[r]));
    }
    comps.forEach((i, r) => {
      lam[o * nC + r] = x[nL + i];
      for (let j = 0; j < nL; j++) A[(o * nC + r) * nL + j] = -x[j] * top.weights[j * nP + i];
    });
  }
  const fitResidual = worst / Math.max(scale, 1e-300);
  if (fitOnly) {
    // A missing layer-L neuron active on every sample is affine in h^(L-1) there: the unsigned fit
    // absorbs it exactly into the h^(L-1) block, and only the Lambda system shows it (no flips make
    // Lambda_o = -sum_j f_j c_oj V_j). Reported as a misfit, so that the caller searches for it.
    // Only an over-determined system can show it (a square one fits any Lambda, and its rounded
    // flips can be off from ill-conditioning alone): the continuous least-squares residual.
    let lambdaMisfit = 0;
    const R = m * nC;
    if (R > nL) {
      const { x } = solveLeastSquares(A, R, nL, lam, 1e-12);
      let res = 0, tot = 0;
      for (let r = 0; r < R; r++) {
        let v = -lam[r];
        for (let j = 0; j < nL; j++) v += A[r * nL + j] * x[j];
        res += v * v;
        tot += lam[r] * lam[r];
      }
      const rel = Math.sqrt(res / Math.max(tot, 1e-300));
      if (rel > 1e-6) lambdaMisfit = Math.min(1, rel);
    }
    return { flips: new Uint8Array(nL), margin: NaN, residual: NaN, method: 'linear', free: 0, fitResidual: Math.max(fitResidual, lambdaMisfit), residuals };
  }
  return { ...solveFlips(A, m * nC, nL, lam), fitResidual };
}

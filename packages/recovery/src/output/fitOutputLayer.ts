import { hypot, solveLeastSquares } from '@relurec/linalg';
import { denseLayer, forward, type DenseLayer, type ReluNetwork } from '@relurec/network';

export interface OutputFit {
  layer: DenseLayer;
  /** Largest |y - y^| over the samples, relative to the largest |y|. */
  relativeResidual: number;
  /** Root-mean-square of y - y^ over samples and outputs, relative to the largest |y|. */
  rmsResidual: number;
  /** sigma_min / sigma_max of the feature matrix: how well the samples pin the layer. */
  conditioning: number;
}

/**
 * The output layer y = U h^L + c by least squares on cached (x, y) pairs (ALGORITHM.md section 5):
 * no new queries. `hidden` holds the recovered hidden layers (signs fixed). With `weightFar`, each
 * sample's equation is scaled by min(1, median |x| / |x|): weighted least squares for errors in h^L
 * that grow with |x| (the recovered rows' relative error times the input), which otherwise let the few
 * samples far out (ray probes, beside far boundaries, up to ~150 domain scales) set the fit's error.
 * Output layer of four depth-3 runs refitted on their own samples, unweighted / this weight / its
 * square: 40-20-10-10-1 rk 1 34.5 / 36.5 / 39.5 bits, 10-20-20-20-1 rk 3 37.3 / 36.5 / 35.9, carlini 1
 * 37.4 / 37.7 / 38.5, trained 10-20-20-20-2 33.7 / 34.5 / 34.0 (the square discounts samples that
 * alone pin a neuron active mostly far out). The residuals are of the unweighted equations.
 */
export function fitOutputLayer(hidden: DenseLayer[], xs: Float64Array[], ys: Float64Array[], options: { weightFar?: boolean } = {}): OutputFit {
  const nL = hidden[hidden.length - 1].outDim, m = ys[0].length, rows = xs.length, cols = nL + 1;
  if (rows < cols) throw new RangeError(`fitOutputLayer needs at least ${cols} samples, got ${rows}`);
  const n0 = hidden[0].inDim;
  const X = new Float64Array(rows * n0);
  xs.forEach((x, r) => X.set(x, r * n0));
  // Hidden activations: run the hidden layers with an identity output layer.
  const probeNet: ReluNetwork = { name: '', meta: {}, layers: [...hidden, identityLayer(nL)] };
  const H = forward(probeNet, X, rows);
  const F = new Float64Array(rows * cols), Fw = new Float64Array(rows * cols);
  const norms = xs.map((x) => hypot(x));
  const median = norms.slice().sort((a, b) => a - b)[rows >> 1];
  const weight = norms.map((v) => (options.weightFar && v > median ? median / v : 1));
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < nL; j++) F[r * cols + j] = H[r * nL + j];
    F[r * cols + nL] = 1;
    for (let j = 0; j < cols; j++) Fw[r * cols + j] = weight[r] * F[r * cols + j];
  }
  const U = new Float64Array(m * nL), c = new Float64Array(m);
  let worst = 0, scale = 0, cond = 1, sq = 0;
  for (let o = 0; o < m; o++) {
    const y = Float64Array.from(ys, (v) => v[o]);
    const { x, singularValues } = solveLeastSquares(Fw, rows, cols, y.map((v, r) => weight[r] * v), 1e-13);
    cond = Math.min(cond, singularValues[singularValues.length - 1] / singularValues[0]);
    U.set(x.subarray(0, nL), o * nL);
    c[o] = x[nL];
    for (let r = 0; r < rows; r++) {
      let v = c[o] - y[r];
      for (let j = 0; j < nL; j++) v += U[o * nL + j] * F[r * cols + j];
      worst = Math.max(worst, Math.abs(v));
      sq += v * v;
      scale = Math.max(scale, Math.abs(y[r]));
    }
  }
  return { layer: denseLayer(nL, m, U, c), relativeResidual: worst / Math.max(scale, 1e-300), rmsResidual: Math.sqrt(sq / (rows * m)) / Math.max(scale, 1e-300), conditioning: cond };
}

/**
 * How well a given output layer (measured, not fitted) reproduces the cached samples: the residuals
 * of fitOutputLayer for that layer, without the least-squares solve.
 */
export function outputLayerResidual(hidden: DenseLayer[], layer: DenseLayer, xs: Float64Array[], ys: Float64Array[]): Pick<OutputFit, 'relativeResidual' | 'rmsResidual'> {
  const n0 = hidden[0].inDim, rows = xs.length, m = layer.outDim;
  const X = new Float64Array(rows * n0);
  xs.forEach((x, r) => X.set(x, r * n0));
  const Y = forward({ name: '', meta: {}, layers: [...hidden, layer] }, X, rows);
  let worst = 0, scale = 0, sq = 0;
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < m; o++) {
      const v = Y[r * m + o] - ys[r][o];
      worst = Math.max(worst, Math.abs(v));
      sq += v * v;
      scale = Math.max(scale, Math.abs(ys[r][o]));
    }
  }
  return { relativeResidual: worst / Math.max(scale, 1e-300), rmsResidual: Math.sqrt(sq / Math.max(1, rows * m)) / Math.max(scale, 1e-300) };
}

function identityLayer(n: number): DenseLayer {
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) W[i * n + i] = 1;
  return denseLayer(n, n, W);
}

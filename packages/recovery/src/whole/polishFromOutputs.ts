import { denseLayer, type DenseLayer } from '@relurec/network';
import { choleskyInPlace, hypot, solveCholesky } from '@relurec/linalg';
import { localValues } from '../known/localState.js';

export interface PolishOptions {
  /** Prior spread of each parameter, relative to max(|theta|, its layer's rms weight). Default 1e-10. */
  priorRelative?: number;
  /** Spread of one output value, relative to max(|y|, the median |y|): float64 rounding. Default 1e-15. */
  floatRelative?: number;
  /** Samples nearer than this (relative) to a hidden boundary are left out: their state may differ. Default 1e-8. */
  minMargin?: number;
}

export interface PolishResult {
  /** The network after one Gauss-Newton step, hidden rows at unit norm (the scale moved to the next layer). */
  layers: DenseLayer[];
  /** Samples used (the others lie too near a boundary). */
  used: number;
  /** Largest |y - f(x)| / max |y| over the samples used, before and after. */
  before: number;
  after: number;
  /** Largest parameter change relative to max(|theta|, its layer's rms weight). */
  largestStep: number;
}

/**
 * Every layer at once from function values (a last step, after the geometry): one Gauss-Newton step
 * on all weights and biases, the activation pattern of each sample fixed (exact away from
 * boundaries), each parameter held near its value by a prior of `priorRelative` (directions the
 * samples barely see stay where the boundary points put them; the scale of each neuron, which no
 * output sees, too). Layer by layer the geometry leaves ~1e-12 errors that the output fit then
 * carries (40-20-10-10-1 carlini 2: output layer 35.9 bits); jointly the outputs pin all of them to
 * float precision (numpy on the truth: 45 bits from 2400 samples). `layers` ends with the output
 * layer. Pure; O(samples x nnz^2 + P^3 / 3) time and 2 P^2 memory for P parameters, so callers
 * bound P. Throws a RangeError when the normal equations cannot be factored.
 */
export function polishFromOutputs(layers: readonly DenseLayer[], xs: readonly Float64Array[], ys: readonly Float64Array[], options: PolishOptions = {}): PolishResult {
  const priorRel = options.priorRelative ?? 1e-10, floatRel = options.floatRelative ?? 1e-15, minMargin = options.minMargin ?? 1e-8;
  const K = layers.length, m = layers[K - 1].outDim;
  const offsets: number[] = [];
  let P = 0;
  for (const l of layers) {
    offsets.push(P);
    P += l.outDim * (l.inDim + 1);
  }
  const theta = new Float64Array(P), spread = new Float64Array(P);
  layers.forEach((l, k) => {
    const n = l.inDim, o = offsets[k];
    let ss = 0;
    for (const w of l.weights) ss += w * w;
    const rms = Math.sqrt(ss / l.weights.length);
    for (let j = 0; j < l.outDim; j++) {
      for (let i = 0; i < n; i++) theta[o + j * (n + 1) + i] = l.weights[j * n + i];
      theta[o + j * (n + 1) + n] = l.biases[j];
    }
    for (let p = o; p < o + l.outDim * (n + 1); p++) spread[p] = priorRel * Math.max(Math.abs(theta[p]), rms);
  });
  // Samples whose every hidden neuron is clear of its boundary (one forward pass each: its last
  // zetas are the outputs).
  const states = xs.map((x) => ({ x, s: localValues(layers, x) }));
  const usable: number[] = [];
  states.forEach(({ x, s }, r) => {
    for (let k = 0; k < K - 1; k++) {
      const input = k === 0 ? x : s.activations[k - 1], tol = minMargin * (1 + hypot(input));
      if (s.zetas[k].some((z) => Math.abs(z) < tol)) return;
    }
    usable.push(r);
  });
  const ysAbs = usable.flatMap((r) => Array.from(ys[r], Math.abs)).sort((a, b) => a - b);
  const yTyp = ysAbs.length > 0 ? ysAbs[Math.floor(ysAbs.length / 2)] : 1, yMax = Math.max(ysAbs.at(-1) ?? 0, 1e-300);
  const predict = (net: readonly DenseLayer[], x: Float64Array) => {
    const s = localValues(net, x);
    return s.zetas[K - 1];
  };
  let before = 0;
  // Normal equations, lower triangle of a P x P row-major matrix: hand-written because this and the
  // factorisation below are the whole cost (P up to a few thousand, nnz^2 per equation).
  const A = new Float64Array(P * P), b = new Float64Array(P);
  const idx = new Int32Array(P), val = new Float64Array(P);
  for (const r of usable) {
    const { x, s } = states[r];
    const f = s.zetas[K - 1];
    for (let o = 0; o < m; o++) {
      const res = ys[r][o] - f[o];
      before = Math.max(before, Math.abs(res));
      const w = 1 / (floatRel * Math.max(Math.abs(ys[r][o]), yTyp));
      // Backpropagate e_o: g = d f_o / d zeta^(k), one layer at a time.
      let g = new Float64Array(m);
      g[o] = 1;
      let nnz = 0;
      for (let k = K - 1; k >= 0; k--) {
        const l = layers[k], n = l.inDim, input = k === 0 ? x : s.activations[k - 1], base = offsets[k];
        for (let j = 0; j < l.outDim; j++) {
          const gj = g[j];
          if (gj === 0) continue;
          const rowBase = base + j * (n + 1);
          for (let i = 0; i < n; i++) {
            if (input[i] === 0) continue;
            idx[nnz] = rowBase + i;
            val[nnz++] = w * gj * input[i];
          }
          idx[nnz] = rowBase + n;
          val[nnz++] = w * gj;
        }
        if (k === 0) break;
        const below = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          if (!(s.zetas[k - 1][i] > 0)) continue;
          let v = 0;
          for (let j = 0; j < l.outDim; j++) v += g[j] * l.weights[j * n + i];
          below[i] = v;
        }
        g = below;
      }
      const wr = w * res;
      for (let a = 0; a < nnz; a++) {
        const ia = idx[a], va = val[a];
        b[ia] += va * wr;
        for (let c = 0; c < nnz; c++) {
          const ic = idx[c];
          if (ic <= ia) A[ia * P + ic] += va * val[c];
        }
      }
    }
  }
  // No output sees a hidden neuron's scale (row x s, outgoing weights / s): held by the prior alone
  // it is the one direction the factorisation cannot resolve. Its row's radial change is tied as
  // firmly as the outputs tie the row (the polished rows are set back to unit norm anyway).
  for (let k = 0; k < K - 1; k++) {
    const l = layers[k], n = l.inDim;
    for (let j = 0; j < l.outDim; j++) {
      const p0 = offsets[k] + j * (n + 1), w = l.weights.subarray(j * n, (j + 1) * n), nrm = hypot(w);
      let tie = 0;
      for (let i = 0; i < n; i++) tie += A[(p0 + i) * P + p0 + i];
      tie /= n;
      if (!(nrm > 0) || !(tie > 0)) continue;
      for (let i = 0; i < n; i++) for (let q = 0; q <= i; q++) A[(p0 + i) * P + p0 + q] += (tie * w[i] * w[q]) / (nrm * nrm);
    }
  }
  // Where the outputs leave near-symmetries beyond the scales (e.g. a neuron active on every sample),
  // the factorisation may still fail: the prior is then tightened a hundredfold, twice at most.
  const data = Float64Array.from(A);
  let step: Float64Array | undefined, tighten = 1;
  for (let attempt = 0; !step; attempt++) {
    if (attempt > 0) A.set(data);
    for (let p = 0; p < P; p++) A[p * P + p] += tighten / (spread[p] * spread[p]);
    try {
      step = scaledCholeskySolve(A, b, P);
    } catch (e) {
      if (!(e instanceof RangeError) || attempt >= 2) throw e;
      tighten *= 100;
    }
  }
  let largestStep = 0;
  for (let p = 0; p < P; p++) largestStep = Math.max(largestStep, Math.abs(step[p]) / (spread[p] / priorRel));
  const next = layers.map((l, k) => {
    const n = l.inDim, o = offsets[k], W = new Float64Array(l.weights.length), B = new Float64Array(l.outDim);
    for (let j = 0; j < l.outDim; j++) {
      for (let i = 0; i < n; i++) W[j * n + i] = theta[o + j * (n + 1) + i] + step[o + j * (n + 1) + i];
      B[j] = theta[o + j * (n + 1) + n] + step[o + j * (n + 1) + n];
    }
    return { n, W, B };
  });
  // Hidden rows back to unit norm, their scale carried by the next layer's columns (the same function).
  for (let k = 0; k < K - 1; k++) {
    const { n, W, B } = next[k], up = next[k + 1];
    for (let j = 0; j < B.length; j++) {
      const nrm = hypot(W.subarray(j * n, (j + 1) * n));
      if (!(nrm > 0)) continue;
      for (let i = 0; i < n; i++) W[j * n + i] /= nrm;
      B[j] /= nrm;
      for (let q = 0; q < up.B.length; q++) up.W[q * up.n + j] *= nrm;
    }
  }
  const polished = next.map((l, k) => denseLayer(l.n, layers[k].outDim, l.W, l.B));
  let after = 0;
  for (const r of usable) {
    const f = predict(polished, xs[r]);
    for (let o = 0; o < m; o++) after = Math.max(after, Math.abs(ys[r][o] - f[o]));
  }
  return { layers: polished, used: usable.length, before: before / yMax, after: after / yMax, largestStep };
}

/**
 * Solves A x = b for symmetric positive definite A (lower triangle, row-major, overwritten), scaled
 * to a unit diagonal first: the outputs pin some parameters ~1e6 times better than the prior does
 * the others, and unscaled that squares into a condition number float64 cannot factor.
 */
function scaledCholeskySolve(A: Float64Array, b: Float64Array, P: number): Float64Array {
  const d = new Float64Array(P);
  for (let i = 0; i < P; i++) d[i] = 1 / Math.sqrt(A[i * P + i]);
  for (let i = 0; i < P; i++) for (let q = 0; q <= i; q++) A[i * P + q] *= d[i] * d[q];
  const x = solveCholesky(choleskyInPlace(A, P), P, b.map((v, i) => v * d[i]));
  return x.map((v, i) => v * d[i]);
}

import type { DenseLayer } from '@relurec/network';
import { cachedLocalState, localValues } from '../known/localState.js';

/**
 * A layer-k candidate solved from its boundary points: zeta(x) = c . ReLU(zeta^(k-1)(x))
 * + lambda . h^(k-2)(x) + bias, with zeta^(k-1) as recovered (signs of layer k-1 not yet fixed).
 * For k = 2, h^(k-2) is the input x.
 */
export interface Candidate {
  c: Float64Array;
  lambda: Float64Array;
  bias: number;
  /** Boundary points the fit used. */
  points: Float64Array[];
  /** Layer-(k-1) neurons seen changing state along the trace. */
  seen: Set<number>;
  /** sigma_min / sigma_max of the point system (closure). */
  closure: number;
  /** sigma_(n-1) / sigma_max (pinned when clearly nonzero). */
  pinning: number;
  /** Sampled kinks this candidate explains (capture count). */
  hits: number;
}

/**
 * Row of the point equations at x: [ReLU(zeta^(k-1)), h^(k-2), 1] while the signs of layer k-1 are
 * unknown, [ReLU(zeta^(k-1)), 1] once they are fixed (`signed`).
 */
export function equationRow(known: readonly DenseLayer[], x: Float64Array, signed = false): Float64Array {
  const s = cachedLocalState(known, x);
  const L = known.length;
  const prev = signed ? new Float64Array(0) : L >= 2 ? s.activations[L - 2] : x;
  const top = s.activations[L - 1];
  const row = new Float64Array(top.length + prev.length + 1);
  row.set(top, 0);
  row.set(prev, top.length);
  row[row.length - 1] = 1;
  return row;
}

/** The candidate's pre-activation at x and its input gradient there (first order); `signed` as in equationRow. */
export function candidateValue(known: readonly DenseLayer[], cand: Pick<Candidate, 'c' | 'lambda' | 'bias'>, x: Float64Array, signed = false): { value: number; gradient: Float64Array } {
  const s = cachedLocalState(known, x);
  const L = known.length, n0 = x.length;
  const top = s.zetas[L - 1], gTop = s.grads[L - 1];
  let value = cand.bias;
  const gradient = new Float64Array(n0);
  for (let j = 0; j < top.length; j++) {
    if (top[j] <= 0 || cand.c[j] === 0) continue;
    value += cand.c[j] * top[j];
    for (let i = 0; i < n0; i++) gradient[i] += cand.c[j] * gTop[j * n0 + i];
  }
  if (signed) {
    // signs of layer k-1 fixed: no lambda block
  } else if (L >= 2) {
    const a = s.activations[L - 2], z = s.zetas[L - 2], g = s.grads[L - 2];
    for (let j = 0; j < a.length; j++) {
      if (z[j] <= 0) continue;
      value += cand.lambda[j] * a[j];
      for (let i = 0; i < n0; i++) gradient[i] += cand.lambda[j] * g[j * n0 + i];
    }
  } else {
    for (let i = 0; i < n0; i++) {
      value += cand.lambda[i] * x[i];
      gradient[i] += cand.lambda[i];
    }
  }
  return { value, gradient };
}

/** candidateValue's value alone, without gradients (for grids of points): the same number, bit for bit. */
export function candidateValueOnly(known: readonly DenseLayer[], cand: Pick<Candidate, 'c' | 'lambda' | 'bias'>, x: Float64Array, signed = false): number {
  return candidateValueFunction(known, cand, signed)(x);
}

/**
 * candidateValueOnly as a function of x with the known layers' buffers allocated once: the same
 * number, bit for bit (localValues' arithmetic in its order). predictCrossings evaluates ~100
 * points a segment, and fresh arrays per point were a good part of the workers' garbage.
 */
export function candidateValueFunction(known: readonly DenseLayer[], cand: Pick<Candidate, 'c' | 'lambda' | 'bias'>, signed = false): (x: Float64Array) => number {
  const L = known.length, pass = knownForwardPass(known);
  return (x) => {
    pass.run(x);
    let value = signedValue(pass.zetas[L - 1], cand.c, cand.bias);
    if (signed) return value;
    if (L >= 2) {
      const a = pass.activations[L - 2], z = pass.zetas[L - 2];
      for (let j = 0; j < a.length; j++) if (z[j] > 0) value += cand.lambda[j] * a[j];
    } else {
      for (let i = 0; i < x.length; i++) value += cand.lambda[i] * x[i];
    }
    return value;
  };
}

/** bias + c . ReLU(top), over the active entries in order: the signed candidate's value. */
export function signedValue(top: Float64Array, c: ArrayLike<number>, bias: number): number {
  let value = bias;
  for (let j = 0; j < top.length; j++) {
    if (top[j] <= 0 || c[j] === 0) continue;
    value += c[j] * top[j];
  }
  return value;
}

/** The known layers' pre-activations and activations at x, written into buffers allocated once. */
export interface KnownForwardPass {
  readonly zetas: readonly Float64Array[];
  readonly activations: readonly Float64Array[];
  run(x: Float64Array): void;
}

/**
 * The forward pass of candidateValueFunction (localValues' sums, each in its order: bit for bit the
 * same numbers). Hand-written because it is the recovery's hottest loop (chord grids, ~1e7 points
 * in a depth-4 run): four rows at once, each row's sum still formed in input order, so the CPU
 * overlaps four chains of dependent adds (1.5 instead of 2.5 ns a multiply-add here).
 */
export function knownForwardPass(known: readonly DenseLayer[]): KnownForwardPass {
  const L = known.length;
  const zetas = known.map((l) => new Float64Array(l.outDim)), activations = known.map((l) => new Float64Array(l.outDim));
  const run = (x: Float64Array): void => {
    let h = x;
    for (let l = 0; l < L; l++) {
      const { inDim: n, outDim: m, weights: W, biases: b } = known[l];
      const z = zetas[l], a = activations[l];
      let j = 0;
      for (; j + 3 < m; j += 4) {
        const r0 = j * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
        let s0 = b[j], s1 = b[j + 1], s2 = b[j + 2], s3 = b[j + 3];
        for (let k = 0; k < n; k++) {
          const hk = h[k];
          s0 += W[r0 + k] * hk;
          s1 += W[r1 + k] * hk;
          s2 += W[r2 + k] * hk;
          s3 += W[r3 + k] * hk;
        }
        z[j] = s0;
        a[j] = s0 > 0 ? s0 : 0;
        z[j + 1] = s1;
        a[j + 1] = s1 > 0 ? s1 : 0;
        z[j + 2] = s2;
        a[j + 2] = s2 > 0 ? s2 : 0;
        z[j + 3] = s3;
        a[j + 3] = s3 > 0 ? s3 : 0;
      }
      for (; j < m; j++) {
        const r = j * n;
        let s = b[j];
        for (let k = 0; k < n; k++) s += W[r + k] * h[k];
        z[j] = s;
        a[j] = s > 0 ? s : 0;
      }
      h = a;
    }
  };
  return { zetas, activations, run };
}

/**
 * Layer-(k-2) neurons inactive on every one of the points (k >= 3; none for k = 2): their lambda
 * weights never enter the point equations, so a solution says nothing where they are active.
 */
export function inactiveBelow(known: readonly DenseLayer[], points: readonly Float64Array[]): number[] {
  const L = known.length;
  if (L < 2) return [];
  const quiet = new Array<boolean>(known[L - 2].outDim).fill(true);
  for (const p of points) {
    const z = localValues(known.slice(0, L - 1), p).zetas[L - 2];
    z.forEach((v, i) => {
      if (v > 0) quiet[i] = false;
    });
  }
  return quiet.flatMap((q, i) => (q ? [i] : []));
}

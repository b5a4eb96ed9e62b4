import { solveLeastSquares, hypot } from '@relurec/linalg';
import type { DenseLayer } from '@relurec/network';
import { localValues } from '../known/localState.js';
import { unsignedFeatures } from './unsignedFeatures.js';

export interface OneOutputCandidate {
  /** Unit row in the space of h^(L-1), oriented so that row . h >= 0 on (almost) every far point. */
  row: Float64Array;
  /** Layer-L neurons whose recovered sign this candidate flips. */
  flips: number[];
  /** Far points where row . h < 0 (at most options.allowNegative). */
  negative: number;
}

export interface OneOutputCandidates {
  candidates: OneOutputCandidate[];
  /** Samples the output fit had to leave out to fit the rest (inside the missing neuron's inactive side, when it is the cause). */
  outliers: number[];
}

export interface OneOutputCandidatesOptions {
  /** Samples the fit may leave out. Default 8. */
  maxOutliers?: number;
  /** A kept sample fits within this times max |y|. Default 1e-9. */
  fitTolerance?: number;
  /** Far points allowed on the inactive side (its cone may hold a few). Default 0.1 % of them. */
  allowNegative?: number;
  /** Candidates returned at most. Default 512. */
  maxCandidates?: number;
  /** Search nodes visited at most. Default 200000. */
  maxNodes?: number;
}

/**
 * With one output, a layer-L neuron active on every sample is absorbed by the unsigned output fit
 * y = C . ReLU(zeta^L) + Lambda . h^(L-1) + c, and every flip pattern S of the known layer-L neurons
 * fits with its own row for it, u_S = Lambda + sum_(z in S) C_z V_z (ReLU(t) = ReLU(-t) + t), and a
 * bias no data can tell from the output bias. What does tell: the true row is one sign on (almost)
 * every input at every scale, the wrong patterns add C_z zeta_z, which take both signs far out
 * (10-20-20-20-1 rk 2 in a run: ~170 of 2^19 patterns stay one-signed on 2000 points at 100 domain
 * scales, the true row among them to 2e-16). Branch and bound over S keeps those whose u_S . h(p)
 * has one sign on the far points `far` (scaled so that biases hardly count), allowing `allowNegative`
 * exceptions. The candidates say where to look (the samples the fit leaves out, or where each is
 * lowest) and which traced row to trust (one that agrees with a candidate on what it shows); the
 * black box decides. `known` holds layers 1..L with the signs of layers < L fixed; one output.
 * Undefined when the fit does not close on all samples but a few (something else is missing). No queries.
 */
export function oneOutputActiveCandidates(known: readonly DenseLayer[], xs: readonly Float64Array[], ys: readonly Float64Array[], far: readonly Float64Array[], options: OneOutputCandidatesOptions = {}): OneOutputCandidates | undefined {
  const L = known.length;
  if (L < 2 || ys.length === 0 || ys[0].length !== 1 || far.length === 0) return undefined;
  const top = known[L - 1], nL = top.outDim, nP = top.inDim, cols = nL + nP + 1;
  const allow = options.allowNegative ?? Math.floor(0.001 * far.length), maxCandidates = options.maxCandidates ?? 512, maxNodes = options.maxNodes ?? 200000;
  const fitted = trimmedFit(unsignedFeatures(known, xs).F, cols, Float64Array.from(ys, (y) => y[0]), options.maxOutliers ?? 8, options.fitTolerance ?? 1e-9);
  if (!fitted) return undefined;
  const C = fitted.x.subarray(0, nL), Lam = fitted.x.subarray(nL, nL + nP);
  // Per far point (scaled to unit length): Lambda . h and each C_z zeta_z.
  const N = far.length, g0 = new Float64Array(N), A = new Float64Array(nL * N);
  far.forEach((p, r) => {
    const s = localValues(known, p), h = s.activations[L - 2], zeta = s.zetas[L - 1], len = hypot(p);
    let v = 0;
    for (let i = 0; i < nP; i++) v += Lam[i] * h[i];
    g0[r] = v / len;
    for (let z = 0; z < nL; z++) A[z * N + r] = (C[z] * zeta[z]) / len;
  });
  // Neurons that harm most first: their branches are cut earliest.
  const order = Array.from({ length: nL }, (_, z) => z).sort((a, b) => harm(b) - harm(a));
  function harm(z: number): number {
    let s = 0;
    for (let r = 0; r < N; r++) s += Math.abs(A[z * N + r]);
    return s;
  }
  const out: OneOutputCandidate[] = [];
  let nodes = 0;
  for (const sign of [1, -1]) {
    // Per depth, the most the undecided neurons can still add at each point.
    const reach = Array.from({ length: nL + 1 }, () => new Float64Array(N));
    for (let d = nL - 1; d >= 0; d--) for (let r = 0; r < N; r++) reach[d][r] = reach[d + 1][r] + Math.max(0, sign * A[order[d] * N + r]);
    const tol = 1e-12 * Math.max(...Array.from(g0, Math.abs), 1e-300);
    const visit = (d: number, cur: Float64Array, S: number[]): void => {
      if (out.length >= maxCandidates || ++nodes > maxNodes) return;
      let bad = 0;
      for (let r = 0; r < N && bad <= allow; r++) if (cur[r] + reach[d][r] < -tol) bad++;
      if (bad > allow) return;
      if (d === nL) {
        const u = Float64Array.from(Lam);
        for (const z of S) for (let i = 0; i < nP; i++) u[i] += C[z] * top.weights[z * nP + i];
        const len = hypot(u);
        if (!(len > 0)) return;
        out.push({ row: u.map((v) => (sign * v) / len), flips: [...S].sort((a, b) => a - b), negative: bad });
        return;
      }
      const z = order[d];
      visit(d + 1, cur, S);
      const next = new Float64Array(N);
      for (let r = 0; r < N; r++) next[r] = cur[r] + sign * A[z * N + r];
      visit(d + 1, next, [...S, z]);
    };
    visit(0, g0.map((v) => sign * v), []);
  }
  return { candidates: out, outliers: fitted.outliers };
}

/**
 * Least squares of y on F, dropping the worst-fitting row and refitting until every kept row fits
 * within tol x max |y| (samples inside the neuron's inactive cone are the ones it drops: one such
 * sample spreads 5e-4 over every other, 10-20-20-20-1 rk 2). Undefined when that takes more than
 * maxOutliers rows or leaves fewer than 2 x cols.
 */
function trimmedFit(F: Float64Array, cols: number, y: Float64Array, maxOutliers: number, tol: number): { x: Float64Array; outliers: number[] } | undefined {
  const scale = Math.max(...Array.from(y, Math.abs), 1e-300);
  const kept = Array.from(y, (_, r) => r), outliers: number[] = [];
  for (;;) {
    if (kept.length < 2 * cols) return undefined;
    const Fk = new Float64Array(kept.length * cols);
    kept.forEach((r, i) => Fk.set(F.subarray(r * cols, (r + 1) * cols), i * cols));
    const { x } = solveLeastSquares(Fk, kept.length, cols, Float64Array.from(kept, (r) => y[r]), 1e-13);
    let worst = 0, at = -1;
    kept.forEach((r, i) => {
      let v = -y[r];
      for (let c = 0; c < cols; c++) v += Fk[i * cols + c] * x[c];
      if (Math.abs(v) > worst) { worst = Math.abs(v); at = i; }
    });
    if (worst <= tol * scale) return { x, outliers };
    if (outliers.length >= maxOutliers) return undefined;
    outliers.push(kept[at]);
    kept.splice(at, 1);
  }
}

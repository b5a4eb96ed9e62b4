import type { Probe } from '@relurec/geometry';
import { createRng } from '@relurec/random';
import type { Hyperplane } from './Hyperplane.js';
import type { Tolerances } from '../context/RecoveryContext.js';

/**
 * Precision pass for layer-1 planes whose normals were measured as Jacobian jumps (the 'normal' fit
 * mode of findFirstLayer for wide inputs), for a network whose hidden layer is COMPLETE: every
 * neuron of the (only) hidden layer is in `planes`. ALGORITHM.md section 6.
 *
 * Why the jump normals are imprecise: a forward difference with step h at a point where |f| ~ S
 * has rounding error ~ eps S / h, and the normal is that divided by the neuron's jump |a|; with
 * h <= 1e-2 (a random point is ~1e-2 from its nearest plane) and |a| down to 1e-4 this is 1e-11 to
 * 1e-8, spread over all n0 components, so no low-rank correction can fix it.
 *
 * What this does instead: with k <= n0 planes of linearly independent normals N (k x n0), EVERY sign
 * pattern of the layer is realised by a region with an inscribed ball of any radius; the point
 * q = N^T (N N^T)^-1 (t - b) has pre-activations exactly t. For neuron j we put q where ONLY j is
 * active (true sign, found below), every pre-activation at distance R from its plane. There
 *   f(x) = c + a_j zeta_j(x)      (c = the output bias, exactly: no other neuron contributes),
 * so forward differences along each axis with steps up to the distance to the nearest crossing
 * (R / max_k |n_k,i|, ~10 R) give a_j n_j with rounding error relative to a_j itself, not to S:
 * ~ eps (|c| / (|a_j| R) + |q| / R) / (h / R) per component, i.e. 1e-16 to 1e-14 instead of 1e-8.
 * Steps are checked against every known plane (the reliable guard once layer 1 is complete; a
 * random-direction verification alone can accept a difference that crossed a weak boundary).
 *
 * Signs (which side of each plane is active) come first, for 1 + k queries: with every
 * pre-activation at -R (plane orientation) and then plane j moved to +R, f changes by sigma_j a_j R
 * (a_j = plane.jump, the same on either orientation), so sigma_j = sign of that change.
 *
 * Cost: 2 + k (signs, output bias) + per neuron 1 + `checks` (base point, error estimate along
 * random directions orthogonal to the old normal), + n0 for each neuron actually re-measured. A
 * neuron whose estimated worst component error (sqrt(2 ln 2 n0) x the largest projected error, a
 * conservative estimate for an error spread over all components) is below `target` is left as is.
 * On 784-128-1 that is ~101k queries when all neurons need it (the budget is one query per weight).
 *
 * Offsets: from the same region, b_j = zeta_j(q) - n_j . q with zeta_j(q) = (f(q) - c) / a_j (error
 * ~ eps |q|, 1e-15), and points[0] becomes the exact boundary point q - zeta_j(q) n_j; the old far-test
 * point of a weak neuron can be 1e-11 off (its kink is located from slopes differing by only |a_j|).
 * The jump is re-measured too (relative error ~1e-15): plane.jump is the canonical output weight.
 *
 * Queries go far from the sampled domain (|q| ~ sqrt(k) R): fine for a float64 black box defined on
 * all of R^n0; a neuron whose checks fail (base value not c + a_j R to 1e-6, or a refined estimate not
 * better than the old one) is left unchanged and counted in `failed`, never half-updated.
 */
export interface RefineWideOptions {
  /** Distance R of every pre-activation from its plane, in units of tol.domainScale. Default 1. */
  radius?: number;
  /** Leave a neuron alone when its estimated worst normal-component error is below this. Default 2^-38. */
  target?: number;
  /** Random directions for the error estimate (before and after). Default 4. */
  checks?: number;
  /** Fraction of the distance to the nearest crossing used as a step. Default 0.5. */
  safety?: number;
  /** Largest step in units of R. Default 100. */
  maxStep?: number;
  /** Known signs (+1: active where normal . x + offset > 0): skips the sign queries. */
  signs?: Int8Array;
  /** Neurons re-measured concurrently (memory: n0^2 doubles each). Default 8. */
  concurrency?: number;
  /** Seed of the check directions. Default 1. */
  seed?: number;
}

export interface RefineWideReport {
  /** Neurons re-measured and updated. */
  refined: number;
  /** Neurons whose estimated error was already below target. */
  skipped: number;
  /** Neurons left unchanged because a check failed. */
  failed: number[];
  /** New oracle rows spent. */
  queries: number;
  /** Active side of each plane: +1 where normal . x + offset > 0 (in the planes' final orientation). */
  signs: Int8Array;
  /** The output bias c (f where no neuron is active), per output. */
  bias: Float64Array;
  /** Estimated worst normal-component error per neuron, before and after (after = before when not refined). */
  before: Float64Array;
  after: Float64Array;
}

export async function refineWideNormals(probe: Probe, planes: Hyperplane[], tol: Tolerances, options: RefineWideOptions = {}): Promise<RefineWideReport> {
  const k = planes.length, n = probe.inputDim, m = probe.outputDim;
  const spent0 = probe.spent;
  const R = (options.radius ?? 1) * tol.domainScale;
  const target = options.target ?? 2 ** -38;
  const K = options.checks ?? 4;
  const safety = options.safety ?? 0.5;
  const maxStep = (options.maxStep ?? 100) * R;
  const concurrency = options.concurrency ?? 8;
  const rng = createRng(options.seed ?? 1);
  const spread = Math.sqrt(2 * Math.log(2 * n));
  const report: RefineWideReport = { refined: 0, skipped: 0, failed: [], queries: 0, signs: new Int8Array(k), bias: new Float64Array(m), before: new Float64Array(k).fill(NaN), after: new Float64Array(k).fill(NaN) };
  if (k === 0) return report;
  if (k > n) throw new RangeError(`refineWideNormals needs at most inputDim planes (got ${k} > ${n})`);

  // Gram matrix of the normals and its Cholesky factor: q(t) = N^T G^-1 (t - b).
  const N = planes.map((p) => p.normal);
  const b = planes.map((p) => p.offset);
  const L = cholesky(N);
  const pointFor = (t: Float64Array): Float64Array => {
    const r = Float64Array.from(t, (v, i) => v - b[i]);
    const y = choleskySolve(L, k, r);
    const q = new Float64Array(n);
    for (let j = 0; j < k; j++) { const nj = N[j], yj = y[j]; for (let i = 0; i < n; i++) q[i] += yj * nj[i]; }
    return q;
  };
  const sub = (a: Float64Array, c: Float64Array) => Float64Array.from(a, (v, o) => v - c[o]);
  const dotv = (a: ArrayLike<number>, c: ArrayLike<number>) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * c[i]; return s; };
  const jumps = planes.map((p) => Float64Array.from(p.jump));

  // Signs: every pre-activation at -R, then plane j alone at +R: f changes by sigma_j a_j R.
  let sigma = options.signs;
  if (!sigma) {
    sigma = new Int8Array(k);
    const t0 = new Float64Array(k).fill(-R);
    const pts = [pointFor(t0)];
    for (let j = 0; j < k; j++) { const t = Float64Array.from(t0); t[j] = R; pts.push(pointFor(t)); }
    const ys = await probe.outputs(pts);
    for (let j = 0; j < k; j++) {
      const a = jumps[j];
      const ratio = dotv(sub(ys[j + 1], ys[0]), a) / (dotv(a, a) * R);
      // |ratio| is 1 up to the jump's own error (~1e-8): anything else means the layer is not what
      // the planes say (a missing neuron active out here, a deeper layer): refuse to go on.
      if (!(Math.abs(Math.abs(ratio) - 1) < 1e-4)) throw new Error(`refineWideNormals: plane ${j + 1} does not switch one neuron alone (ratio ${ratio}); is the layer complete?`);
      sigma[j] = ratio > 0 ? 1 : -1;
    }
  }
  // Output bias: no neuron active, at two radii (the value must not change: nothing is active).
  const noneAt = (r: number) => pointFor(Float64Array.from(sigma, (s) => -s * r));
  const [c, c2] = await probe.outputs([noneAt(R), noneAt(2 * R)]);
  let cScale = 0;
  for (let o = 0; o < m; o++) cScale = Math.max(cScale, Math.abs(c[o]));
  for (let o = 0; o < m; o++) {
    if (!(Math.abs(c[o] - c2[o]) <= 1e-12 * Math.max(cScale, tol.outputScale))) throw new Error(`refineWideNormals: the output is not constant where no known neuron is active (${c[o]} vs ${c2[o]}): the layer is incomplete`);
  }
  report.bias = Float64Array.from(c);

  // Largest safe step from q along +-d (d with rates rate_k = n_k . d), signed.
  const safeStep = (z: Float64Array, rate: (kk: number) => number): number => {
    let up = Infinity, down = Infinity;
    for (let kk = 0; kk < k; kk++) {
      const r = rate(kk);
      if (r === 0) continue;
      const s = -z[kk] / r; // crossing at step s
      if (s > 0) up = Math.min(up, s); else down = Math.min(down, -s);
    }
    return up >= down ? Math.min(safety * up, maxStep) : -Math.min(safety * down, maxStep);
  };

  const refineOne = async (j: number): Promise<void> => {
    const t = Float64Array.from(sigma!, (s) => -s * R);
    t[j] = sigma![j] * R;
    const q = pointFor(t);
    const z = Float64Array.from(N, (nk, kk) => dotv(nk, q) + b[kk]);
    const nj = N[j], a = jumps[j];
    // Check directions: random, orthogonal to the current normal (so the jump's own scale error
    // does not enter), unit.
    const us = Array.from({ length: K }, () => {
      const u = rng.gaussianArray(n);
      const p = dotv(u, nj);
      for (let i = 0; i < n; i++) u[i] -= p * nj[i];
      const s = Math.hypot(...u);
      for (let i = 0; i < n; i++) u[i] /= s;
      return u;
    });
    const hs = us.map((u) => safeStep(z, (kk) => dotv(N[kk], u)));
    const checkPts = us.map((u, e) => Float64Array.from(q, (v, i) => v + hs[e] * u[i]));
    const [y0, ...yc] = await probe.outputs([q, ...checkPts]);
    const f0 = sub(y0, c);
    // Base value: c + a_j R (sigma_j zeta_j = R) to the jump's own precision.
    if (!(Math.abs(dotv(f0, a) / (dotv(a, a) * R) - 1) < 1e-4)) { report.failed.push(j); return; }
    // Projected errors (delta n . u) of the current normal: slope / (a sigma) - n . u, with n . u = 0.
    const aa = dotv(a, a);
    const before = Math.max(...yc.map((y, e) => Math.abs(dotv(sub(y, y0), a) / (hs[e] * aa * sigma![j]))));
    report.before[j] = spread * before;
    report.after[j] = report.before[j];
    if (report.before[j] < target) { report.skipped++; return; }
    // Forward differences along every axis, each as long as the known planes allow.
    const steps = new Float64Array(n);
    const pts: Float64Array[] = [];
    for (let i = 0; i < n; i++) {
      steps[i] = safeStep(z, (kk) => N[kk][i]);
      const p = Float64Array.from(q);
      p[i] += steps[i];
      pts.push(p);
    }
    const ys = await probe.outputs(pts);
    // g[o][i] = a_o sigma n_i; the normal is the a-weighted combination over outputs.
    const g = new Float64Array(m * n);
    for (let i = 0; i < n; i++) for (let o = 0; o < m; o++) g[o * n + i] = (ys[i][o] - y0[o]) / steps[i];
    const normal = new Float64Array(n);
    for (let o = 0; o < m; o++) for (let i = 0; i < n; i++) normal[i] += a[o] * g[o * n + i];
    let s = Math.hypot(...normal);
    if (dotv(normal, nj) < 0) s = -s;
    for (let i = 0; i < n; i++) normal[i] /= s;
    const jump = new Float64Array(m);
    for (let o = 0; o < m; o++) jump[o] = sigma![j] * dotv(g.subarray(o * n, (o + 1) * n), normal);
    const ja = dotv(jump, jump);
    // After: the same check queries against the new normal and jump.
    let after = 0;
    yc.forEach((y, e) => {
      const pred = dotv(normal, us[e]);
      after = Math.max(after, Math.abs(dotv(sub(y, y0), jump) / (hs[e] * ja * sigma![j]) - pred));
    });
    after *= spread;
    if (!(after < report.before[j]) || !(after < 1e-9)) { report.failed.push(j); return; }
    // Offset from the region: zeta_j(q) = (f(q) - c) . a / (sigma |a|^2) in the new scale.
    const zq = dotv(f0, jump) / (sigma![j] * ja);
    const offset = zq - dotv(normal, q);
    const foot = Float64Array.from(q, (v, i) => v - zq * normal[i]);
    const plane = planes[j];
    plane.normal = normal;
    plane.offset = offset;
    plane.jump = jump;
    plane.points = [foot, ...plane.points];
    report.after[j] = after;
    report.refined++;
  };

  for (let start = 0; start < k; start += concurrency) {
    await Promise.all(Array.from({ length: Math.min(concurrency, k - start) }, (_, d) => refineOne(start + d)));
  }
  report.signs = Int8Array.from(sigma);
  report.queries = probe.spent - spent0;
  return report;
}

/** Lower Cholesky factor (row-major k x k) of G = N N^T; throws when the normals are dependent. */
function cholesky(N: Float64Array[]): Float64Array {
  const k = N.length;
  const L = new Float64Array(k * k);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c <= r; c++) {
      let s = 0;
      const a = N[r], bb = N[c];
      for (let i = 0; i < a.length; i++) s += a[i] * bb[i];
      for (let p = 0; p < c; p++) s -= L[r * k + p] * L[c * k + p];
      if (r === c) {
        if (!(s > 1e-10)) throw new RangeError('refineWideNormals: the plane normals are (nearly) linearly dependent');
        L[r * k + r] = Math.sqrt(s);
      } else L[r * k + c] = s / L[c * k + c];
    }
  }
  return L;
}

function choleskySolve(L: Float64Array, k: number, r: Float64Array): Float64Array {
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = r[i];
    for (let p = 0; p < i; p++) s -= L[i * k + p] * y[p];
    y[i] = s / L[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = y[i];
    for (let p = i + 1; p < k; p++) s -= L[p * k + i] * y[p];
    y[i] = s / L[i * k + i];
  }
  return y;
}

import type { Probe } from '@relurec/geometry';
import { denseLayer, type DenseLayer } from '@relurec/network';
import { createRng } from '@relurec/random';
import type { Hyperplane } from './Hyperplane.js';
import type { Tolerances } from '../context/RecoveryContext.js';
import { choleskyInPlace, hypot, solveCholesky } from '@relurec/linalg';

export interface RefineWideOptions {
  /** Distance R of every pre-activation from its plane, in units of tol.domainScale. Default 1. */
  radius?: number;
  /**
   * Leave a neuron alone when its estimated worst normal-component error is below this. Default
   * 2^-42 (2.3e-13): the estimate (4 projections) was up to 2.5x below the truth, and a skipped
   * neuron at 2^-38 once ended at 6.8e-12 on 784-128-1 carlini; with 2^-40 other check directions
   * left a neuron at 1.6e-12 (39.2 bits) on rk seed 1, with 2^-42 it is 42.7 bits for +0.8% queries.
   */
  target?: number;
  /** Random directions for the error estimate (before and after). Default 4. */
  checks?: number;
  /** Fraction of the distance to the nearest crossing used as a step. Default 0.5. */
  safety?: number;
  /** Largest step in units of R. Default 100. */
  maxStep?: number;
  /** Largest factor by which a weak neuron's normal radius exceeds R. Default 1000. */
  maxRadiusGain?: number;
  /** A neuron's normal is measured at radius clamp(|c| / (|a_j| radiusDivisor), R, maxRadiusGain R). Default 10. */
  radiusDivisor?: number;
  /** Largest accepted change of any normal component (the old normals are ~1e-8 off). Default 1e-6. */
  maxChange?: number;
  /** Known signs (+1: active where normal . x + offset > 0): skips the sign queries. */
  signs?: Int8Array;
  /**
   * Known output bias (report.bias of an earlier call, with `signs`): skips the three queries that
   * measure it and check that nothing else is active (that earlier call made the check).
   */
  bias?: Float64Array;
  /**
   * The planes to re-measure (indices); default all. Each neuron's measurement is independent and
   * draws its check directions from its own stream (seed, index), so the planes can be split over
   * tasks that run in parallel with the same result; [] only measures signs and bias.
   */
  neurons?: number[];
  /** Neurons re-measured concurrently (memory: n0^2 doubles each). Default 8. */
  concurrency?: number;
  /** Seed of the check directions. Default 1. */
  seed?: number;
}

/** Error estimate of a neuron a call did not measure (estimates are >= 0). */
export const NOT_MEASURED = -1;

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
  /**
   * How clean the sign measurement was: the largest | |ratio| - 1 | over the planes (each plane
   * switched on alone moves f by exactly +-a_j R: 0 is clean); NOT_MEASURED when the signs were given.
   */
  signMargin: number;
  /** The output bias c (f where no neuron is active), per output. */
  bias: Float64Array;
  /**
   * Estimated worst normal-component error per neuron, before and after (after = before when not
   * refined); NOT_MEASURED (-1: reports cross the bus, where NaN is refused) for a neuron this call
   * did not measure or whose first check failed.
   */
  before: Float64Array;
  after: Float64Array;
}

/**
 * Precision pass for layer-1 planes whose normals were measured as Jacobian jumps (the 'normal' fit
 * mode of findFirstLayer for wide inputs), for a network with ONE hidden layer that is COMPLETE:
 * every hidden neuron is in `planes`. ALGORITHM.md section 6. Updates planes in place (normal,
 * offset, jump, points[0] = an exact boundary point); returns what it did.
 *
 * Why the jump normals are imprecise: a forward difference with step h at a point where |f| ~ S
 * has rounding error ~ eps S / h, and the normal is that divided by the neuron's jump |a|; with
 * h <= 1e-2 (a random point is ~1e-2 from its nearest plane) and |a| down to 1e-4 this is 1e-11 to
 * 1e-8, spread over all n0 components, so no low-rank correction (far tests) can fix it: every
 * component needs its own measurement, i.e. ~n0 queries per neuron whatever the method.
 *
 * What this does instead: with k <= n0 planes of linearly independent normals N (k x n0), EVERY sign
 * pattern of the layer is realised by a region with an inscribed ball of any radius; the point
 * q = N^T (N N^T)^-1 (t - b) has pre-activations exactly t. For neuron j we put q where ONLY j is
 * active (true sign, found below), every pre-activation at distance R from its plane. There
 *   f(x) = c + a_j zeta_j(x)      (c = the output bias, exactly: no other neuron contributes),
 * so forward differences along each axis with steps up to the distance to the nearest crossing
 * (R / max_k |n_k,i|, ~10 R; half of it is used) give a_j n_j with rounding error relative to a_j,
 * not to S: ~ eps (|c| / |a_j| + |q|) / h per component. Weak neurons (|c| / |a_j| large) are
 * measured at a larger radius Rn (see radiusDivisor), which divides that by Rn / R.
 * Steps are checked against every known plane (the reliable guard once layer 1 is complete; a
 * random-direction verification alone can accept a difference that crossed a weak boundary).
 *
 * Signs (which side of each plane is active) come first, for 1 + k queries: with every
 * pre-activation at -R (plane orientation) and then plane j moved to +R, f changes by sigma_j a_j R
 * (a_j = plane.jump, the same on either orientation), so sigma_j = sign of that change. In a deeper
 * network that change is not +-a_j R (the layers above bend it) and the call throws before touching
 * any plane (cost: k + 1 queries).
 *
 * Offsets: b_j = zeta_j(q) - n_j . q at the radius-R point, zeta_j(q) = (f(q) - c) / a_j. Its error is
 * eps |c| / |a_j| (the rounding of f, a floor for any method that reads f; 9e-13 for |a_j| = 1.3e-4,
 * |c| = 2.4) plus delta n . q with |q| ~ sqrt(k) R: that second term is why the normal of a weak
 * neuron comes from radius Rn > R (it fell from 1.1e-11 to 4.7e-13 on the weakest rk neuron).
 * The jump is re-measured too (relative error ~1e-15): plane.jump is the canonical output weight.
 *
 * Neurons left alone: one whose estimated worst component error (sqrt(2 ln 2 n0) x the largest of
 * `checks` projected errors along random directions orthogonal to its normal) is below `target`.
 * Cost: 4 + k + (1 + checks) per neuron + (n0 + 1) per re-measured neuron; on 784-128-1 87k
 * (carlini seed 1, 110 re-measured) to 101k (rk seed 1, all 128) queries, ~35 s.
 *
 * Guards (the black box is only trusted where the model says what it computes): the output must be
 * the same constant at three points where no known neuron is active, one moved far along a direction
 * orthogonal to every known normal (a missing neuron shows there), else it throws; per neuron, the
 * base value must be c + a_j Rn to 1e-4, the new normal within maxChange of the old, the new error
 * estimate below the old and below 1e-9, and the offset point on the expected side, else the plane
 * is left unchanged and listed in `failed`. Queries go far from the sampled domain (|q| ~ sqrt(k) R,
 * up to 1000 R for the weakest neurons): fine for a float64 black box defined on all of R^n0.
 */
export async function refineWideNormals(probe: Probe, planes: Hyperplane[], tol: Tolerances, options: RefineWideOptions = {}): Promise<RefineWideReport> {
  const k = planes.length, n = probe.inputDim, m = probe.outputDim;
  const spent0 = probe.spent;
  const R = (options.radius ?? 1) * tol.domainScale;
  const target = options.target ?? 2 ** -42;
  const K = options.checks ?? 4;
  const safety = options.safety ?? 0.5;
  const maxStep = (options.maxStep ?? 100) * R;
  const concurrency = options.concurrency ?? 8;
  const maxRadiusGain = options.maxRadiusGain ?? 1000;
  const radiusDivisor = options.radiusDivisor ?? 10;
  const maxChange = options.maxChange ?? 1e-6;
  const root = createRng(options.seed ?? 1);
  const spread = Math.sqrt(2 * Math.log(2 * n));
  const report: RefineWideReport = { refined: 0, skipped: 0, failed: [], queries: 0, signs: new Int8Array(k), signMargin: NOT_MEASURED, bias: new Float64Array(m), before: new Float64Array(k).fill(NOT_MEASURED), after: new Float64Array(k).fill(NOT_MEASURED) };
  if (k === 0) return report;
  if (k > n) throw new RangeError(`refineWideNormals needs at most inputDim planes (got ${k} > ${n})`);

  // Gram matrix of the normals and its Cholesky factor: q(t) = N^T G^-1 (t - b).
  const N = planes.map((p) => p.normal);
  const b = planes.map((p) => p.offset);
  const L = cholesky(N);
  const pointFor = (t: Float64Array): Float64Array => {
    const r = Float64Array.from(t, (v, i) => v - b[i]);
    const y = solveCholesky(L, k, r);
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
      report.signMargin = Math.max(report.signMargin, Math.abs(Math.abs(ratio) - 1));
    }
  }
  const c = options.bias ? Float64Array.from(options.bias) : await measureBias(sigma);
  report.bias = Float64Array.from(c);

  // The output bias c, checked: the output is the same constant wherever no known neuron is active.
  async function measureBias(sigma: Int8Array): Promise<Float64Array> {
    // Output bias: no neuron active, at two radii (the value must not change: nothing is active).
    const noneAt = (r: number) => pointFor(Float64Array.from(sigma, (s) => -s * r));
    // Plus a point moved far along a direction orthogonal to every known normal: the known
    // pre-activations do not change, so any change of f is a neuron the planes do not have.
    const q1 = noneAt(R);
    const v = root.fork('far').gaussianArray(n);
    for (let pass = 0; pass < 2; pass++) {
      // v minus its projection on span(N): N^T G^-1 N v (twice, for rounding).
      const w = solveCholesky(L, k, Float64Array.from(N, (nk) => dotv(nk, v)));
      for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) v[i] -= w[j] * N[j][i];
    }
    const vn = hypot(v);
    const far = Float64Array.from(q1, (x, i) => x + (10 * R * v[i]) / vn);
    const [c, c2, c3] = await probe.outputs([q1, noneAt(2 * R), far]);
    let cScale = 0;
    for (let o = 0; o < m; o++) cScale = Math.max(cScale, Math.abs(c[o]));
    for (let o = 0; o < m; o++) {
      for (const other of [c2[o], c3[o]]) {
        if (!(Math.abs(c[o] - other) <= 1e-12 * Math.max(cScale, tol.outputScale))) throw new Error(`refineWideNormals: the output is not constant where no known neuron is active (${c[o]} vs ${other}): the layer is incomplete`);
      }
    }
    return c;
  }

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

  const regionPoint = (j: number, r: number) => {
    const t = Float64Array.from(sigma!, (s) => -s * r);
    t[j] = sigma![j] * r;
    const q = pointFor(t);
    return { q, z: Float64Array.from(N, (nk, kk) => dotv(nk, q) + b[kk]) };
  };

  const refineOne = async (j: number): Promise<void> => {
    const nj = N[j], a = jumps[j], aa = dotv(a, a), sj = sigma![j];
    const rng = root.fork('plane', j);
    // Radius of the normal measurement: the forward-difference error per component is
    // ~ eps (|c| / |a_j| + |q|) / h with h ~ 6 R and |q| ~ sqrt(k) R, so a weak neuron (|c| / |a_j|
    // large) gains from a larger R until the |q| term dominates. The offset is measured at radius R
    // (below) because it inherits delta n . q from the normal: with the normal from radius Rn that
    // is ~ (R / Rn) eps |c| / |a_j| instead of eps |c| / |a_j| (weakest rk neuron: 1.1e-11 -> 4.7e-13).
    const Rn = R * Math.min(maxRadiusGain, Math.max(1, Math.sqrt(dotv(c, c) / aa) / (radiusDivisor * R)));
    const { q, z } = regionPoint(j, Rn);
    // Check directions: random, orthogonal to the current normal (so the jump's own scale error
    // does not enter), unit.
    const us = Array.from({ length: K }, () => {
      const u = rng.gaussianArray(n);
      const p = dotv(u, nj);
      for (let i = 0; i < n; i++) u[i] -= p * nj[i];
      const s = hypot(u);
      for (let i = 0; i < n; i++) u[i] /= s;
      return u;
    });
    const hs = us.map((u) => safeStep(z, (kk) => dotv(N[kk], u)));
    const checkPts = us.map((u, e) => Float64Array.from(q, (v, i) => v + hs[e] * u[i]));
    const [y0, ...yc] = await probe.outputs([q, ...checkPts]);
    // Base value: c + a_j Rn (sigma_j zeta_j = Rn) to the jump's own precision.
    if (!(Math.abs(dotv(sub(y0, c), a) / (aa * Rn) - 1) < 1e-4)) { report.failed.push(j); return; }
    // Projected errors (delta n . u) of the current normal: slope / (a sigma) - n . u, with n . u = 0.
    const before = Math.max(...yc.map((y, e) => Math.abs(dotv(sub(y, y0), a) / (hs[e] * aa * sj))));
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
    const offsetAt = Rn === R ? { q, z } : regionPoint(j, R);
    const [yb, ...ys] = await probe.outputs([offsetAt.q, ...pts]);
    // g[o][i] = a_o sigma n_i; the normal is the a-weighted combination over outputs.
    const g = new Float64Array(m * n);
    for (let i = 0; i < n; i++) for (let o = 0; o < m; o++) g[o * n + i] = (ys[i][o] - y0[o]) / steps[i];
    const normal = new Float64Array(n);
    for (let o = 0; o < m; o++) for (let i = 0; i < n; i++) normal[i] += a[o] * g[o * n + i];
    let s = hypot(normal);
    if (dotv(normal, nj) < 0) s = -s;
    for (let i = 0; i < n; i++) normal[i] /= s;
    const jump = new Float64Array(m);
    for (let o = 0; o < m; o++) jump[o] = sj * dotv(g.subarray(o * n, (o + 1) * n), normal);
    const ja = dotv(jump, jump);
    // After: the same check queries against the new normal and jump.
    let after = 0;
    yc.forEach((y, e) => {
      const pred = dotv(normal, us[e]);
      after = Math.max(after, Math.abs(dotv(sub(y, y0), jump) / (hs[e] * ja * sj) - pred));
    });
    after *= spread;
    // Offset from the radius-R point: zeta_j(q) = (f(q) - c) . a / (sigma |a|^2) in the new scale.
    const fb = sub(yb, c);
    const zq = dotv(fb, jump) / (sj * ja);
    // The new normal must agree with the old one to the old one's precision (1e-8 typical): a
    // neuron missing from the planes but active here would tilt the gradient by |a'| / |a_j|.
    let change = 0;
    for (let i = 0; i < n; i++) change = Math.max(change, Math.abs(normal[i] - nj[i]));
    if (!(after < report.before[j]) || !(after < 1e-9) || !(change < maxChange) || !(Math.abs((sj * zq) / R - 1) < 1e-6)) { report.failed.push(j); return; }
    const offset = zq - dotv(normal, offsetAt.q);
    const foot = Float64Array.from(offsetAt.q, (v, i) => v - zq * normal[i]);
    const plane = planes[j];
    plane.normal = normal;
    plane.offset = offset;
    plane.jump = jump;
    plane.points = [foot, ...plane.points];
    report.after[j] = after;
    report.refined++;
  };

  const todo = options.neurons ?? Array.from({ length: k }, (_, j) => j);
  for (const j of todo) if (!(Number.isInteger(j) && j >= 0 && j < k)) throw new RangeError(`refineWideNormals: neuron index ${j} is not one of the ${k} planes`);
  for (let start = 0; start < todo.length; start += concurrency) {
    await Promise.all(todo.slice(start, start + concurrency).map((j) => refineOne(j)));
  }
  report.signs = Int8Array.from(sigma);
  report.queries = probe.spent - spent0;
  return report;
}

/** Lower Cholesky factor (row-major k x k) of G = N N^T; throws when the normals are dependent. */
function cholesky(N: Float64Array[]): Float64Array {
  const k = N.length;
  const G = new Float64Array(k * k);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c <= r; c++) {
      let s = 0;
      const a = N[r], bb = N[c];
      for (let i = 0; i < a.length; i++) s += a[i] * bb[i];
      G[r * k + c] = s;
    }
  }
  try {
    return choleskyInPlace(G, k, 1e-10);
  } catch (e) {
    if (e instanceof RangeError) throw new RangeError('refineWideNormals: the plane normals are (nearly) linearly dependent');
    throw e;
  }
}

/**
 * The whole one-hidden-layer network from refined planes, no queries: row j = signs[j] (normal,
 * offset) (canonical: unit row, active side positive), output weight = plane.jump (the canonical
 * output weight whatever the plane's orientation: crossing towards normal . x + offset > 0 the
 * gradient jumps by a_j n_j in both cases), output bias = report.bias (exact).
 * Why: fitOutputLayer's least squares over the ~250 cached samples of layer 1 is conditioned
 * ~1e-4 to 1e-5 on 784-128-1 and gave 28.6 bits (carlini) / 34.6 bits (rk) on the output layer with
 * layer 1 at 37+ bits; the jumps re-measured here are 1e-13 to 1e-16 off (>= 37 bits).
 */
export function oneHiddenLayerFromPlanes(planes: Hyperplane[], report: Pick<RefineWideReport, 'signs' | 'bias'>): { hidden: DenseLayer; output: DenseLayer } {
  const k = planes.length, n = planes[0].normal.length, m = report.bias.length;
  const W = new Float64Array(k * n), b = new Float64Array(k), U = new Float64Array(m * k);
  planes.forEach((p, j) => {
    const s = report.signs[j];
    for (let i = 0; i < n; i++) W[j * n + i] = s * p.normal[i];
    b[j] = s * p.offset;
    for (let o = 0; o < m; o++) U[o * k + j] = p.jump[o];
  });
  return { hidden: denseLayer(n, k, W, b), output: denseLayer(k, m, U, Float64Array.from(report.bias)) };
}

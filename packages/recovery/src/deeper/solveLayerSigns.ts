import { solveLeastSquares, hypot } from '@relurec/linalg';
import type { DenseLayer } from '@relurec/network';
import { SignsUndeterminedError, solveFlips, type FlipSolution } from '../signs/solveFlips.js';

/** One layer-k neuron as solved before the signs of layer k-1 were known. */
export interface UnsignedRow {
  c: Float64Array;
  lambda: Float64Array;
  /** Layer-(k-1) inputs that never changed state on the trace: lambda holds an unknown multiple of their rows. */
  fixedColumns?: number[];
  /**
   * Coordinates of h^(k-2) nonzero somewhere on the trace (default all): lambda is seen only there,
   * so only those equations of the stack hold.
   */
  support?: number[];
}

export interface LayerSigns extends FlipSolution {
  /** Rows left out of the stack (index into the given rows) as inconsistent with the others. */
  dropped: number[];
}

/**
 * Signs of layer k-1 from the stacked Lambda system (ALGORITHM.md section 4): for every layer-k
 * neuron z, lambda_z = -sum_j f_j c_zj V_j with V_j the rows of layer k-1 (in the space of
 * h^(k-2)); n_k * n_(k-2) equations for the n_(k-1) indicators f_j in {0, 1}. Each row is scaled
 * by |c_z| so that no neuron dominates. A row's unknown multiples of V_j for inputs j that never
 * switched on its trace are projected out of its equations. One wrong row pushes indicators off {0, 1}: while the
 * solution is not clean, the row whose removal helps most is dropped (at most `maxDrop`). Rows of
 * layer k-1 in `unflipped` have a known sign (indicator 0) and are no unknowns of the stack.
 */
export function solveLayerSigns(prev: DenseLayer, rows: UnsignedRow[], maxDrop = 3, unflipped: readonly number[] = []): LayerSigns {
  const n = prev.inDim, k = prev.outDim;
  const free = Array.from({ length: k }, (_, j) => j).filter((j) => !unflipped.includes(j)), kf = free.length;
  const solve = (use: number[]): FlipSolution | undefined => {
    const blocks = use.map((z) => stackBlock(prev, rows[z]));
    const R = use.length * n;
    const A = new Float64Array(R * kf), lam = new Float64Array(R);
    blocks.forEach((b, r) => {
      for (let i = 0; i < n; i++) free.forEach((j, c) => (A[(r * n + i) * kf + c] = b.A[i * k + j]));
      lam.set(b.lambda, r * n);
    });
    try {
      const f = solveFlips(A, R, kf, lam);
      const flips = new Uint8Array(k);
      free.forEach((j, c) => (flips[j] = f.flips[c]));
      return { ...f, flips };
    } catch (e) {
      // No assignment near {0, 1} (a wrong row can do that): the drops below try without it.
      if (e instanceof SignsUndeterminedError) return undefined;
      throw e;
    }
  };
  const clean = (f: FlipSolution | undefined) => f !== undefined && f.margin < 0.05 && f.residual < 1e-6;
  const score = (f: FlipSolution | undefined) => (f ? f.margin + f.residual : Infinity);
  // A row with c ~ 0 carries no sign information, and scaled by 1 / |c| it would swamp the others
  // (10-20-20-20-1 carlini 1: three layer-3 traces whose boundary never bent, |c| 1e-14 to 1e-5);
  // so would one whose |lambda| / |c| dwarfs the others' (outsized).
  const all = rows.map((_, z) => z);
  const signless = all.filter((z) => outsized(rows, z, all));
  let use = rows.map((_, z) => z).filter((z) => !signless.includes(z));
  const dropped: number[] = [];
  let best = solve(use);
  while (!clean(best) && dropped.length < maxDrop && use.length * n > kf + n) {
    let pick: { z: number; f: FlipSolution | undefined } | undefined;
    for (const z of use) {
      const f = solve(use.filter((u) => u !== z));
      if (f && (!pick || score(f) < score(pick.f))) pick = { z, f };
    }
    if (!pick) break;
    use = use.filter((u) => u !== pick!.z);
    dropped.push(pick.z);
    best = pick.f;
  }
  if (!clean(best)) {
    // More wrong rows than drops: the assignment most rows agree with, from pairs of rows.
    const agreed = consensusRows(prev, rows, rows.map((_, z) => z).filter((z) => !signless.includes(z)), free);
    const f = agreed && agreed.length * n > kf + n ? solve(agreed) : undefined;
    if (f && clean(f)) {
      best = f;
      use = agreed!;
    }
  }
  if (!best) throw new SignsUndeterminedError(kf, -1, 0, `no sign assignment of the ${kf} layer-(k-1) rows is near {0, 1}, with up to ${maxDrop} layer-k rows left out`);
  return { ...best, dropped: rows.map((_, z) => z).filter((z) => !use.includes(z)) };
}

/**
 * The rows consistent with the assignment that most rows reproduce: each pair of rows whose blocks
 * pin every indicator gives an assignment (least squares, rounded); a row agrees when its block's
 * remainder is below 1e-6 (blocks are scaled by 1 / |c|). Undefined when no pair pins them or no
 * assignment is shared by three rows.
 */
function consensusRows(prev: DenseLayer, rows: UnsignedRow[], candidates: number[], free: number[]): number[] | undefined {
  const n = prev.inDim, k = prev.outDim, kf = free.length;
  const blocks = new Map(candidates.map((z) => [z, stackBlock(prev, rows[z])]));
  const remainder = (z: number, f: Uint8Array) => {
    const b = blocks.get(z)!;
    let s = 0;
    for (let i = 0; i < n; i++) {
      let v = b.lambda[i];
      for (const j of free) if (f[j]) v -= b.A[i * k + j];
      s += v * v;
    }
    return Math.sqrt(s);
  };
  let best: { agree: number[]; total: number } | undefined;
  const tried = new Set<string>();
  for (let p = 0; p < candidates.length; p++) {
    for (let q = p + 1; q < candidates.length; q++) {
      const pair = [candidates[p], candidates[q]];
      const A = new Float64Array(2 * n * kf), lam = new Float64Array(2 * n);
      pair.forEach((z, r) => {
        const b = blocks.get(z)!;
        for (let i = 0; i < n; i++) free.forEach((j, c) => (A[(r * n + i) * kf + c] = b.A[i * k + j]));
        lam.set(b.lambda, r * n);
      });
      const ls = solveLeastSquares(A, 2 * n, kf, lam, 1e-10);
      if (ls.singularValues.filter((v) => v > 1e-8 * ls.singularValues[0]).length < kf) continue;
      const f = new Uint8Array(k);
      free.forEach((j, c) => (f[j] = ls.x[c] > 0.5 ? 1 : 0));
      const key = f.join('');
      if (tried.has(key)) continue;
      tried.add(key);
      const agree = candidates.filter((z) => remainder(z, f) < 1e-6);
      const total = agree.reduce((a, z) => a + remainder(z, f), 0);
      if (agree.length >= 3 && (!best || agree.length > best.agree.length || (agree.length === best.agree.length && total < best.total))) best = { agree, total };
    }
  }
  return best?.agree;
}

/**
 * A row whose |lambda| / |c| is 20x the median of the rows' (or c ~ 0): its block, scaled by 1 / |c|,
 * would swamp the others. A true row's lambda is a sum of c-weighted unit rows, so the ratio stays
 * near 1 (10-20-20-20-1 carlini 1: 1e13 on three wrong rows; 6-10-10-10-1 rk 15: 214 against 0.6).
 */
export function outsized(rows: readonly UnsignedRow[], z: number, among: readonly number[]): boolean {
  const ratio = (y: number) => hypot(rows[y].lambda) / hypot(rows[y].c);
  const r = among.map(ratio).filter(Number.isFinite).sort((a, b) => a - b);
  const med = r.length > 0 ? r[Math.floor(r.length / 2)] : 0;
  const own = ratio(z);
  return !(hypot(rows[z].c) > 1e-6 * hypot(rows[z].lambda)) || !Number.isFinite(own) || own > 20 * Math.max(med, 1e-12);
}

/** One row's equations of the stack: A f = lambda, A row-major n_(k-2) x n_(k-1), both scaled by 1 / |c|. */
export interface StackBlock {
  A: Float64Array;
  lambda: Float64Array;
  /** The map every equation of the block went through (restriction to the support, then projection): a projector. */
  project: (v: Float64Array) => Float64Array;
}

/**
 * A row's block of the stacked Lambda system: equations only where lambda is seen (its support);
 * there, unknown multiples of V_j (j never switching on the row's trace) are projected out.
 */
export function stackBlock(prev: DenseLayer, row: UnsignedRow): StackBlock {
  const n = prev.inDim, k = prev.outDim;
  const { c, lambda, fixedColumns = [] } = row;
  const s = hypot(c) || 1;
  const seen = row.support ? new Set(row.support) : undefined;
  const restrict = (v: Float64Array) => (seen ? v.map((x, i) => (seen.has(i) ? x : 0)) : Float64Array.from(v));
  const Q = orthonormalBasis(fixedColumns.map((j) => restrict(prev.weights.slice(j * n, (j + 1) * n))));
  const project = (v0: Float64Array) => {
    const v = restrict(v0);
    for (const q of Q) {
      let d = 0;
      for (let i = 0; i < n; i++) d += q[i] * v[i];
      for (let i = 0; i < n; i++) v[i] -= d * q[i];
    }
    return v;
  };
  const A = new Float64Array(n * k), lam = project(Float64Array.from(lambda)).map((x) => x / s);
  for (let j = 0; j < k; j++) {
    if (c[j] === 0) continue;
    const pv = project(prev.weights.slice(j * n, (j + 1) * n));
    for (let i = 0; i < n; i++) A[i * k + j] = (-c[j] * pv[i]) / s;
  }
  return { A, lambda: lam, project };
}

function orthonormalBasis(vs: Float64Array[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (const v0 of vs) {
    const v = Float64Array.from(v0);
    const n0 = hypot(v);
    for (const q of out) {
      let d = 0;
      for (let i = 0; i < v.length; i++) d += q[i] * v[i];
      for (let i = 0; i < v.length; i++) v[i] -= d * q[i];
    }
    const n1 = hypot(v);
    if (n1 > 1e-10 * n0) out.push(v.map((x) => x / n1));
  }
  return out;
}

import type { DenseLayer } from '@relurec/network';
import { solveFlips, type FlipSolution } from '../signs/solveFlips.js';

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
 * solution is not clean, the row whose removal helps most is dropped (at most `maxDrop`).
 */
export function solveLayerSigns(prev: DenseLayer, rows: UnsignedRow[], maxDrop = 3): LayerSigns {
  const n = prev.inDim, k = prev.outDim;
  const solve = (use: number[]) => {
    const R = use.length * n;
    const A = new Float64Array(R * k), lam = new Float64Array(R);
    use.forEach((z, r) => {
      const { c, lambda, fixedColumns = [] } = rows[z];
      const s = Math.hypot(...c) || 1;
      // Equations only where lambda is seen; there, unknown multiples of V_j (j never switching on
      // z's trace) are projected out.
      const seen = rows[z].support ? new Set(rows[z].support) : undefined;
      const restrict = (v: Float64Array) => (seen ? v.map((x, i) => (seen.has(i) ? x : 0)) : v);
      const Q = orthonormalBasis(fixedColumns.map((j) => restrict(prev.weights.slice(j * n, (j + 1) * n))));
      const project = (v: Float64Array) => {
        for (const q of Q) {
          let d = 0;
          for (let i = 0; i < n; i++) d += q[i] * v[i];
          for (let i = 0; i < n; i++) v[i] -= d * q[i];
        }
        return v;
      };
      const pl = project(restrict(Float64Array.from(lambda)));
      for (let i = 0; i < n; i++) lam[r * n + i] = pl[i] / s;
      for (let j = 0; j < k; j++) {
        if (c[j] === 0) continue;
        const pv = project(restrict(prev.weights.slice(j * n, (j + 1) * n)));
        for (let i = 0; i < n; i++) A[(r * n + i) * k + j] = (-c[j] * pv[i]) / s;
      }
    });
    return solveFlips(A, R, k, lam);
  };
  const clean = (f: FlipSolution) => f.margin < 0.05 && f.residual < 1e-6;
  let use = rows.map((_, z) => z);
  const dropped: number[] = [];
  let best = solve(use);
  while (!clean(best) && dropped.length < maxDrop && use.length * n > k + n) {
    let pick: { z: number; f: FlipSolution } | undefined;
    for (const z of use) {
      try {
        const f = solve(use.filter((u) => u !== z));
        if (!pick || f.margin + f.residual < pick.f.margin + pick.f.residual) pick = { z, f };
      } catch {
        // under-determined without z: keep it
      }
    }
    if (!pick) break;
    use = use.filter((u) => u !== pick!.z);
    dropped.push(pick.z);
    best = pick.f;
  }
  return { ...best, dropped };
}

function orthonormalBasis(vs: Float64Array[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (const v0 of vs) {
    const v = Float64Array.from(v0);
    const n0 = Math.hypot(...v);
    for (const q of out) {
      let d = 0;
      for (let i = 0; i < v.length; i++) d += q[i] * v[i];
      for (let i = 0; i < v.length; i++) v[i] -= d * q[i];
    }
    const n1 = Math.hypot(...v);
    if (n1 > 1e-10 * n0) out.push(v.map((x) => x / n1));
  }
  return out;
}

import type { DenseLayer } from '@relurec/network';
import { hypot } from '@relurec/linalg';
import { localState } from './localState.js';
import type { UnseenPair } from './unseenWeightProbes.js';

/** Four inputs on a line across B_j (j's boundary) at a point where neuron z is active. */
export interface JumpPlan<P extends UnseenPair = UnseenPair> {
  pair: P;
  /** Inputs x - 2a d, x - a d, x + b d, x + 2b d (d: unit normal of B_j towards j's active side). */
  points: Float64Array[];
  /** Steps a (inactive side) and b (active side) along d. */
  steps: [number, number];
  /** d zeta_j / dt on the active side (|grad zeta_j|). */
  slope: number;
  /** The model's jump of d output / dt across B_j, per output (its current weights). */
  modelJump: Float64Array;
}

/**
 * Section 4's last resort made exact: a weight w_zj of the last hidden layer that z's boundary never
 * shows changes the output's slope where j switches on while z is on. On a line across j's boundary
 * B_j at such a point, the output's slope jumps by sum_z' U_z' w_z'j |grad zeta_j| over the last-layer
 * neurons z' on there; the other weights are known, so the measured jump gives w_zj. Slopes from two
 * queries on each side, as far apart as the side's linear region allows (its extent is exact on the
 * known layers): differences of the black box's own outputs, where the known layers' errors cancel
 * except along that jump (the fill from function values carries them whole: 2.7e-10 on
 * 10-20-20-20-1 carlini 1). Planned at `near` (inputs where z and j are on, e.g. the fill's probes,
 * projected onto B_j); only where z is the only neuron with an unseen weight from j that is on.
 * `hidden`: layers 1..L, signs fixed; `output` the fitted output layer. Pure, no queries.
 */
export function planUnseenWeightJumps<P extends UnseenPair>(hidden: readonly DenseLayer[], output: DenseLayer, pairs: readonly P[], near: readonly (readonly Float64Array[])[], domainScale = 1): JumpPlan<P>[] {
  const L = hidden.length, n0 = hidden[0].inDim, m = output.outDim, nL = output.inDim;
  const plans: JumpPlan<P>[] = [];
  pairs.forEach((pair, p) => {
    const { neuron: z, input: j } = pair;
    const others = pairs.filter((q) => q.input === j && q.neuron !== z).map((q) => q.neuron);
    for (const q of near[p] ?? []) {
      // Onto B_j by Newton steps along j's gradient (one when no other boundary lies between).
      let x = q, d: Float64Array | undefined;
      for (let it = 0; it < 8 && !d; it++) {
        const st = localState(hidden.slice(0, L - 1), x), g = st.grads[L - 2].subarray(j * n0, (j + 1) * n0), gg = g.reduce((a, v) => a + v * v, 0);
        if (!(gg > 0)) break;
        if (Math.abs(st.zetas[L - 2][j]) <= 1e-13 * Math.sqrt(gg) * Math.max(domainScale, hypot(x))) d = g.map((v) => v / Math.sqrt(gg));
        else x = x.map((v, i) => v - (st.zetas[L - 2][j] * g[i]) / gg);
      }
      if (!d) continue;
      const u = d;
      // Each side's linear region along d: the nearest crossing of any other neuron (first order is
      // exact inside a region), from just off B_j.
      const tiny = 1e-9 * domainScale;
      const side = (sign: number) => {
        const st = localState(hidden, x.map((v, i) => v + sign * tiny * u[i]));
        let reach = Infinity;
        st.zetas.forEach((zl, l) => {
          for (let k = 0; k < zl.length; k++) {
            if (l === L - 2 && k === j) continue;
            let s = 0;
            for (let i = 0; i < n0; i++) s += st.grads[l][k * n0 + i] * u[i];
            s *= sign;
            if (zl[k] * s < 0) reach = Math.min(reach, -zl[k] / s);
          }
        });
        return { st, reach };
      };
      const lo = side(-1), hi = side(1);
      // z on through both sides, j off then on, no other neuron with an unseen weight from j on.
      if (!(lo.st.zetas[L - 1][z] > 0 && hi.st.zetas[L - 1][z] > 0 && lo.st.zetas[L - 2][j] < 0 && hi.st.zetas[L - 2][j] > 0)) continue;
      if (others.some((y) => hi.st.zetas[L - 1][y] > 0)) continue;
      const a = 0.45 * Math.min(lo.reach, 3 * domainScale), b = 0.45 * Math.min(hi.reach, 3 * domainScale);
      if (!(a > 1e-3 * domainScale && b > 1e-3 * domainScale)) continue;
      const slopeOf = (st: typeof lo.st) => {
        const out = new Float64Array(m);
        for (let y = 0; y < nL; y++) {
          if (!(st.zetas[L - 1][y] > 0)) continue;
          let s = 0;
          for (let i = 0; i < n0; i++) s += st.grads[L - 1][y * n0 + i] * u[i];
          for (let o = 0; o < m; o++) out[o] += output.weights[o * nL + y] * s;
        }
        return out;
      };
      const up = slopeOf(hi.st), down = slopeOf(lo.st);
      let slope = 0;
      for (let i = 0; i < n0; i++) slope += hi.st.grads[L - 2][j * n0 + i] * u[i];
      plans.push({
        pair,
        points: [-2 * a, -a, b, 2 * b].map((t) => x.map((v, i) => v + t * u[i])),
        steps: [a, b],
        slope,
        modelJump: up.map((v, o) => v - down[o]),
      });
    }
  });
  return plans;
}

/**
 * The weight corrections the measured outputs at the plans' points give (ys[k][o]: output o at
 * plans[k].points, in order), pooled per pair by the median; per pair also how many plans agreed
 * with it within `agree` (relative to the largest correction). Output o with the largest |U_oz|.
 */
export function weightsFromJumps<P extends UnseenPair>(output: DenseLayer, plans: readonly JumpPlan<P>[], ys: readonly (readonly Float64Array[])[]): Map<P, { delta: number; plans: number; spread: number }> {
  const nL = output.inDim, m = output.outDim;
  const byPair = new Map<P, number[]>();
  plans.forEach((plan, k) => {
    const { neuron: z } = plan.pair, [a, b] = plan.steps, y = ys[k];
    let o = 0;
    for (let q = 1; q < m; q++) if (Math.abs(output.weights[q * nL + z]) > Math.abs(output.weights[o * nL + z])) o = q;
    const u = output.weights[o * nL + z];
    if (!(Math.abs(u) > 0)) return;
    const down = (y[1][o] - y[0][o]) / a, up = (y[3][o] - y[2][o]) / b;
    const delta = (up - down - plan.modelJump[o]) / (u * plan.slope);
    byPair.set(plan.pair, [...(byPair.get(plan.pair) ?? []), delta]);
  });
  const out = new Map<P, { delta: number; plans: number; spread: number }>();
  for (const [pair, ds] of byPair) {
    const sorted = [...ds].sort((p, q) => p - q), mid = sorted.length >> 1;
    const delta = sorted.length % 2 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    out.set(pair, { delta, plans: ds.length, spread: Math.max(...ds.map((v) => Math.abs(v - delta))) });
  }
  return out;
}

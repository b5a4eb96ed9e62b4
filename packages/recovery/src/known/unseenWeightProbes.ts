import { denseLayer, type DenseLayer } from '@relurec/network';
import { localState } from './localState.js';
import { ascendInBall } from '@relurec/geometry';
import { spreadByIndex } from '../internal/spreadByIndex.js';
import { hypot } from '@relurec/linalg';

/** A weight of the last hidden layer that its neuron's boundary never showed. */
export interface UnseenPair {
  /** Neuron z of the last hidden layer (0-based). */
  neuron: number;
  /** Input j from the layer below (0-based). */
  input: number;
}

export interface UnseenWeightProbeOptions {
  /** Inputs live where N(0, domainScale^2 I) puts them. Default 1. */
  domainScale?: number;
  /** Search radius (input units). Default 3 sqrt(n0) domain scales, or 1.5 |start| when a start lies farther. */
  radius?: number;
  /**
   * Largest |w_zj| (units of the recovered row, whose seen part has unit norm) against which every
   * probe keeps the state of each neuron with an unseen weight. Default 4 (the fill's scan range).
   */
  weightBound?: number;
  /**
   * Per pair (aligned with `unseen`), an interval known to hold the weight (e.g. a first fill +- its
   * error) instead of +-weightBound: probes may then step much farther off B_j, so that w_zj moves
   * the output more. Default: none.
   */
  intervals?: readonly { lo: number; hi: number }[];
  /** Probe points per pair. Default 2. */
  perPair?: number;
  /** Starts per pair, spread over the neuron's boundary points. Default 8. */
  starts?: number;
  /** Ascent steps per start. Default 200. */
  steps?: number;
}

export interface UnseenWeightProbe extends UnseenPair {
  /** Inputs where z is active whatever w_zj (|w_zj| <= weightBound) and h_j > 0: each sees w_zj. */
  points: Float64Array[];
  /** Largest pre-activation of z found on j's boundary within the radius (model units; <= 0: none active there). */
  reach: number;
}

/**
 * Query-free inputs where an unseen weight w_zj of the last hidden layer acts (ALGORITHM.md section
 * 4, 'weights the boundary cannot show'). On B_j = {zeta_j = 0} the pre-activation of z does not
 * depend on w_zj, so the known layers give it exactly there. From z's boundary points, projected onto
 * B_j (Newton steps on j's local affine form), ascend zeta_z along B_j (gradient projected onto B_j's
 * tangent, backtracking; at a ridge the sum of the unit gradients of both sides ascends both) inside
 * the radius. Where zeta_z > 0, step off B_j towards j's active side, halving the step until z stays
 * active, and every last-layer neuron with an unseen weight keeps its state, for any unseen weights up
 * to `weightBound` (h_j > 0 there, so the output is affine in w_zj with slope U_z h_j). A pair with no
 * such input (reach <= 0) has no effect inside the radius as far as this search sees. `known` holds
 * layers 1..L with signs fixed; the unseen weights' current values are ignored (taken as 0).
 * `boundary[z]` are z's traced boundary points. Deterministic.
 */
export function unseenWeightProbes(known: readonly DenseLayer[], unseen: readonly UnseenPair[], boundary: readonly (readonly Float64Array[])[], options: UnseenWeightProbeOptions = {}): UnseenWeightProbe[] {
  const L = known.length;
  if (L < 2) throw new RangeError('unseenWeightProbes needs at least two known layers');
  const scale = options.domainScale ?? 1, bound = options.weightBound ?? 4, perPair = options.perPair ?? 2;
  const nStarts = options.starts ?? 8, steps = options.steps ?? 200;
  if (!(scale > 0) || !(bound > 0) || !(perPair >= 1) || !(nStarts >= 1) || !(steps >= 1)) throw new RangeError('options.domainScale and options.weightBound must be positive, options.perPair, options.starts and options.steps at least 1');
  const top = known[L - 1], n = top.inDim, n0 = known[0].inDim;
  const Wk = Float64Array.from(top.weights);
  if (options.intervals && (options.intervals.length !== unseen.length || options.intervals.some((r) => !(r.lo <= r.hi)))) throw new RangeError('options.intervals must give lo <= hi for every unseen pair');
  const unseenOf: Interval[][] = Array.from({ length: top.outDim }, () => []);
  unseen.forEach((u, i) => {
    Wk[u.neuron * n + u.input] = 0;
    unseenOf[u.neuron].push({ input: u.input, ...(options.intervals?.[i] ?? { lo: -bound, hi: bound }) });
  });
  const model = [...known.slice(0, L - 1), denseLayer(n, top.outDim, Wk, Float64Array.from(top.biases))];
  return unseen.map(({ neuron: z, input: j }) => {
    const pts = boundary[z] ?? [];
    const farthest = pts.reduce((s, p) => Math.max(s, hypot(p)), 0);
    const outer = options.radius ?? Math.max(3 * Math.sqrt(n0) * scale, 1.5 * farthest);
    const starts = spreadByIndex(pts, nStarts);
    // Several radii, probes ranked by h_j / (1 + |x| / (sqrt(n0) domain scales)): w_zj is read from
    // an output change U_z w_zj h_j against the model's own error, which grows with |x| (rows exact
    // to ~1e-13 put ~1e-11 into w_zj from a probe at |x| = 80 with h_j = 1).
    const radii = [Math.sqrt(n0) * scale, 3 * Math.sqrt(n0) * scale].filter((r) => r < outer).concat(outer);
    const found: { q: Float64Array; score: number }[] = [];
    let reach = -Infinity;
    for (const radius of radii) {
      for (const s of starts) {
        const e = ascend(model, z, j, s, radius, steps, scale);
        if (!e) continue;
        reach = Math.max(reach, e.v);
        const q = e.v > 0 ? stepOff(model, unseenOf, z, j, e.x, Math.sqrt(n0) * scale) : undefined;
        if (q) found.push({ q: q.point, score: q.hj / (1 + hypot(q.point) / (Math.sqrt(n0) * scale)) });
      }
    }
    found.sort((a, b) => b.score - a.score);
    const points: Float64Array[] = [];
    for (const { q } of found) {
      if (points.length >= perPair) break;
      if (!points.some((p) => distance(p, q) < 1e-6 * scale)) points.push(q);
    }
    return { neuron: z, input: j, points, reach };
  });
}


function distance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

/** Newton projection onto B_j (exact in one step for layer 1); undefined when j is flat there or it does not converge. */
function projectOnto(model: readonly DenseLayer[], j: number, x: Float64Array, scale: number): Float64Array | undefined {
  const L = model.length, n0 = x.length;
  for (let it = 0; it < 12; it++) {
    const st = localState(model.slice(0, L - 1), x);
    const zj = st.zetas[L - 2][j], g = st.grads[L - 2].subarray(j * n0, (j + 1) * n0);
    let gg = 0;
    for (let i = 0; i < n0; i++) gg += g[i] * g[i];
    if (!(gg > 0)) return undefined;
    if (Math.abs(zj) / Math.sqrt(gg) < 1e-12 * scale * Math.max(1, hypot(x) / scale)) return x;
    x = x.map((v, i) => v - (zj * g[i]) / gg);
  }
  return undefined;
}

/** Ascent of zeta_z along B_j inside the radius (unseen weights at 0 in `model`). */
function ascend(model: readonly DenseLayer[], z: number, j: number, start: Float64Array, radius: number, steps: number, scale: number): { x: Float64Array; v: number } | undefined {
  const L = model.length, n0 = start.length;
  return ascendInBall({
    value: (x) => {
      const st = localState(model, x);
      return { v: st.zetas[L - 1][z], g: st.grads[L - 1].subarray(z * n0, (z + 1) * n0) };
    },
    project: (x) => projectOnto(model, j, x, scale),
    normal: (x) => localState(model.slice(0, L - 1), x).grads[L - 2].subarray(j * n0, (j + 1) * n0),
  }, start, radius, steps);
}

/** An unseen weight of some neuron: its input and the interval it lies in. */
interface Interval { input: number; lo: number; hi: number }

/**
 * x + t n_j (n_j the unit normal of B_j towards j's active side) for the largest t of a halving
 * sequence from `reach` at which h_j > 0 and, for every unseen weight anywhere in its interval, z is
 * active and every neuron with unseen weights keeps its state (a 1e-9 relative margin).
 */
function stepOff(model: readonly DenseLayer[], unseenOf: readonly Interval[][], z: number, j: number, x: Float64Array, reach: number): { point: Float64Array; hj: number } | undefined {
  const L = model.length, n0 = x.length, st = localState(model, x);
  const g = st.grads[L - 2].subarray(j * n0, (j + 1) * n0), gn = hypot(g);
  if (!(gn > 0) || !(st.zetas[L - 1][z] > 0)) return undefined;
  for (let k = 0, t = reach; k < 60; k++, t /= 2) {
    const q = x.map((w, i) => w + (t * g[i]) / gn);
    const s = localState(model, q);
    const h = s.activations[L - 2], zeta = s.zetas[L - 1];
    if (!(h[j] > 0)) continue;
    const margin = 1e-9 * hypot(q);
    const robust = unseenOf.every((ws, y) => {
      if (ws.length === 0) return true;
      const lo = ws.reduce((acc, w) => acc + w.lo * h[w.input], zeta[y]);
      const hi = ws.reduce((acc, w) => acc + w.hi * h[w.input], zeta[y]);
      return lo > margin || (y !== z && hi < -margin) || (y !== z && ws.every((w) => h[w.input] === 0));
    });
    if (robust) return { point: q, hj: h[j] };
  }
  return undefined;
}

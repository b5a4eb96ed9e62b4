import { ascendInBall } from '@relurec/geometry';
import { deepestJointInput, type MilpSolver } from '@relurec/milp';
import { affine, type DenseLayer, type ReluNetwork } from '@relurec/network';
import type { Rng } from '@relurec/random';

/** Input scales (times the domain scale) the unused-input search samples at: out to where only the cones of the network's linear part remain. */
export const UNUSED_SCALES = [1, 3, 10, 30, 100, 300] as const;

/** Ascent steps from each start when a sampled verdict of 'unused' is checked. */
const ASCENT_STEPS = 200;
/** Targeted ascent starts of each kind a pair gets. */
const TARGETED_STARTS = 4;

/** Flag of a weight the sampling and ascent find unused. */
export const UNUSED_SEARCHED = 1;
/** Flag of a weight proved unused by the exact search (deepestJointInput). */
export const UNUSED_PROVED = 2;
/** Seconds the exact search may spend on one pair before the search's verdict stands. */
const EXACT_SECONDS = 30;

/** The `size` inputs with the largest values offered so far (rows of sample batches, copied). */
class TopInputs {
  private readonly kept: { v: number; x: Float64Array }[] = [];
  constructor(private readonly size: number) {}
  offer(v: number, batch: Float64Array, r: number, n0: number): void {
    if (this.kept.length === this.size && !(v > this.kept[this.size - 1].v)) return;
    this.kept.push({ v, x: batch.slice(r * n0, (r + 1) * n0) });
    this.kept.sort((a, b) => b.v - a.v);
    if (this.kept.length > this.size) this.kept.pop();
  }
  inputs(): Float64Array[] {
    return this.kept.map((k) => k.x);
  }
}

/**
 * Per hidden layer (0-based), flags outDim x inDim, row-major: nonzero where the neuron is on at some
 * sampled input and its input (a neuron of the layer below) is off wherever the neuron is on. A weight
 * from such an input moves the neuron nowhere: no query shows it, and the function is the same
 * whatever its value (as long as the neuron stays off wherever the input is on). Layer 1 has none
 * (its inputs are never 0), nor has a neuron never on.
 *
 * Two stages. Sampling: `perScale` inputs from N(0, (s domainScale)^2 I) for each s in UNUSED_SCALES,
 * from `rng`. Then each pair the samples never saw on together is searched for a point where both
 * are on: ascent of min(zeta_z / |grad zeta_z|, zeta_i / |grad zeta_i|) (the distance inside both)
 * from sampled inputs where either is on (and, from fresh samples, those where one is on and the
 * other nearest to on), out to 1.5 times the farthest sample. Sampling alone missed a pair on
 * together on 5e-6 of inputs at 10-30 domain scales (10-15-15-15-15-1 rk 2, layer-4 neuron 4 and
 * layer-3 neuron 10, at 20000 inputs a scale); the ascent finds it. A verdict of the search, not a
 * proof: a thinner sliver (the same network's layer-4 neuron 6 with neuron 10, on none of 1.2e6
 * inputs) is found at some sample counts and not at others. With `milp`, each pair the ascent leaves
 * is put to the exact search (deepestJointInput over the box |x_d| <= 1.5 times the farthest
 * sample): found, the weight is used; proved never on together, UNUSED_PROVED; the search out of
 * time, UNUSED_SEARCHED as before.
 */
export function unusedInputs(net: ReluNetwork, perScale: number, rng: Rng, domainScale: number, batchSize: number, milp?: MilpSolver): Uint8Array[] {
  const hidden = net.layers.slice(0, -1);
  // One hidden layer: its inputs are the network's, never 0.
  if (hidden.length < 2) return hidden.map((l) => new Uint8Array(l.outDim * l.inDim));
  const together = hidden.map((l) => new Uint8Array(l.outDim * l.inDim));
  // Inputs where each neuron is on (ascent starts): the first ones found, at most one per scale so far.
  const where = hidden.map((l) => Array.from({ length: l.outDim }, (): Float64Array[] => []));
  let farthest = 0;
  const inputsOn = new Int32Array(Math.max(...hidden.map((l) => l.inDim)));
  samples(hidden, perScale, rng.fork('samples'), domainScale, batchSize, (x, rows, pre, scale) => {
    const n0 = hidden[0].inDim;
    for (let l = 0; l < hidden.length; l++) {
      const { inDim: n, outDim: m } = hidden[l], zeta = pre[l], below = l > 0 ? pre[l - 1] : undefined, both = together[l], seen = where[l];
      for (let r = 0; r < rows; r++) {
        let k = 0;
        if (below) for (let i = 0; i < n; i++) if (below[r * n + i] > 0) inputsOn[k++] = i;
        for (let z = 0; z < m; z++) {
          if (!(zeta[r * m + z] > 0)) continue;
          if (seen[z].length <= scale) {
            const at = x.slice(r * n0, (r + 1) * n0);
            seen[z].push(at);
            farthest = Math.max(farthest, Math.hypot(...at));
          }
          for (let q = 0; q < k; q++) both[z * n + inputsOn[q]] = 1;
        }
      }
    }
  });
  const radius = 1.5 * farthest;
  const flags = hidden.map((layer, l) => {
    const f = new Uint8Array(layer.outDim * layer.inDim);
    if (l === 0) return f;
    for (let z = 0; z < layer.outDim; z++) {
      if (where[l][z].length === 0) continue;
      for (let i = 0; i < layer.inDim; i++) if (!together[l][z * layer.inDim + i]) f[z * layer.inDim + i] = UNUSED_SEARCHED;
    }
    return f;
  });
  const open = flags.flatMap((f, l) => Array.from(f, (v, k) => ({ v, l, z: Math.floor(k / hidden[l].inDim), i: k % hidden[l].inDim })).filter((c) => c.v === 1));
  if (open.length === 0) return flags;
  // Targeted starts for each pair left, from fresh samples: where the input is on, those where the
  // neuron is nearest to on (largest pre-activation), and the other way round.
  const best = open.map(() => ({ zOnI: new TopInputs(TARGETED_STARTS), iOnZ: new TopInputs(TARGETED_STARTS) }));
  samples(hidden, perScale, rng.fork('starts'), domainScale, batchSize, (x, rows, pre) => {
    const n0 = hidden[0].inDim;
    open.forEach((c, k) => {
      const m = hidden[c.l].outDim, n = hidden[c.l - 1].outDim;
      for (let r = 0; r < rows; r++) {
        const zeta = pre[c.l][r * m + c.z], below = pre[c.l - 1][r * n + c.i];
        if (below > 0) best[k].zOnI.offer(zeta, x, r, n0);
        if (zeta > 0) best[k].iOnZ.offer(below, x, r, n0);
      }
    });
  });
  open.forEach((c, k) => {
    const starts = [...best[k].zOnI.inputs(), ...best[k].iOnZ.inputs(), ...where[c.l][c.z], ...where[c.l - 1][c.i]];
    const at = c.z * hidden[c.l].inDim + c.i;
    if (onTogetherSomewhere(hidden.slice(0, c.l + 1), c.z, c.i, starts, radius)) flags[c.l][at] = 0;
    else if (milp) {
      const exact = deepestJointInput(milp, hidden.slice(0, c.l + 1), c.z, c.i, { halfWidth: radius, timeLimit: EXACT_SECONDS });
      if (exact.kind === 'found') flags[c.l][at] = 0;
      else if (exact.kind === 'none') flags[c.l][at] = UNUSED_PROVED;
    }
  });
  return flags;
}

/**
 * `perScale` inputs from N(0, (s domainScale)^2 I) for each s in UNUSED_SCALES, in batches: `visit`
 * gets a batch x (rows x n0) with its pre-activations of every hidden layer (rows x width each) and
 * the index of the scale. Loops over Float64Array by hand: this runs on every comparison.
 */
function samples(hidden: readonly DenseLayer[], perScale: number, rng: Rng, domainScale: number, batchSize: number, visit: (x: Float64Array, rows: number, pre: Float64Array[], scale: number) => void): void {
  const n0 = hidden[0].inDim;
  UNUSED_SCALES.forEach((s, scale) => {
    for (let done = 0; done < perScale; ) {
      const rows = Math.min(batchSize, perScale - done);
      const x = rng.gaussianArray(rows * n0);
      for (let k = 0; k < x.length; k++) x[k] *= s * domainScale;
      const pres: Float64Array[] = [];
      let below = x;
      for (const layer of hidden) {
        const zeta = affine(layer, below, rows, false);
        pres.push(zeta);
        below = new Float64Array(zeta.length);
        for (let k = 0; k < zeta.length; k++) if (zeta[k] > 0) below[k] = zeta[k];
      }
      visit(x, rows, pres, scale);
      done += rows;
    }
  });
}

/** Whether ascent finds a point within `radius` where neuron z of the top layer and neuron i of the layer below are both on. */
function onTogetherSomewhere(layers: readonly DenseLayer[], z: number, i: number, starts: readonly Float64Array[], radius: number): boolean {
  const top = layers.length - 1;
  const value = (x: Float64Array) => {
    const pre = preActivations(layers, x);
    const a = distanceInside(pre[top], z), b = distanceInside(pre[top - 1], i);
    return a.v < b.v ? a : b;
  };
  for (const s of starts) {
    const best = ascendInBall({ value, project: (x) => x }, s, radius, ASCENT_STEPS);
    if (best && best.v > 0) return true;
  }
  return false;
}

/** zeta / |grad zeta| of one neuron and the unit gradient (a neuron flat here: far outside). */
function distanceInside(p: { zeta: Float64Array; jac: Float64Array; n0: number }, k: number): { v: number; g: Float64Array } {
  const g = p.jac.slice(k * p.n0, (k + 1) * p.n0);
  const gn = Math.hypot(...g);
  if (!(gn > 0)) return { v: -Infinity, g: new Float64Array(p.n0) };
  return { v: p.zeta[k] / gn, g: g.map((w) => w / gn) };
}

/** Pre-activations of every layer at x and their Jacobians in x (outDim x n0, row-major), in x's linear piece. */
function preActivations(layers: readonly DenseLayer[], x: Float64Array): { zeta: Float64Array; jac: Float64Array; n0: number }[] {
  const n0 = x.length;
  // h and its Jacobian J in x; `live` marks the entries not 0 (every input; neurons on).
  let h = x, J = new Float64Array(n0 * n0), live = new Uint8Array(n0).fill(1);
  for (let d = 0; d < n0; d++) J[d * n0 + d] = 1;
  return layers.map(({ inDim: n, outDim: m, weights: W, biases: b }) => {
    const zeta = new Float64Array(m), jac = new Float64Array(m * n0);
    for (let o = 0; o < m; o++) {
      let v = b[o];
      for (let c = 0; c < n; c++) {
        const w = W[o * n + c];
        if (w === 0 || !live[c]) continue;
        v += w * h[c];
        for (let d = 0; d < n0; d++) jac[o * n0 + d] += w * J[c * n0 + d];
      }
      zeta[o] = v;
    }
    h = zeta.map((v) => (v > 0 ? v : 0));
    live = Uint8Array.from(zeta, (v) => (v > 0 ? 1 : 0));
    J = jac;
    return { zeta, jac, n0 };
  });
}

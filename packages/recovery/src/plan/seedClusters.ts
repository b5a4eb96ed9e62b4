import type { DenseLayer } from '@relurec/network';
import { likelySameNeuron, type Seed } from '../deeper/findDeeperLayer.js';

/**
 * Seeds that are almost surely kinks of one neuron, in clusters: the pairs likelySameNeuron tells
 * apart as one neuron (layer 2; it only knows seeds that differ on a few layer-1 states) joined
 * transitively, over all pairs. On 10-20-20-1 rk 1 the 199 layer-2 seeds fall into 23 clusters for
 * 20 neurons (pairs alone link only the closest seeds). For scheduling only: a seed waits while a
 * seed of its cluster is traced, so a wrong join costs time, never a neuron. Pure and
 * deterministic: returns, per seed, the index of the first seed of its cluster (every seed alone
 * for deeper layers, where likelySameNeuron has no hint).
 */
export function seedClusters(known: readonly DenseLayer[], seeds: readonly Seed[]): number[] {
  const root = seeds.map((_, i) => i);
  const find = (i: number): number => {
    while (root[i] !== i) i = root[i] = root[root[i]];
    return i;
  };
  if (known.length !== 1) return root;
  const notJoined = twoNeuronFilter(known[0], seeds);
  for (let i = 0; i < seeds.length; i++) {
    for (let j = i + 1; j < seeds.length; j++) {
      const a = find(i), b = find(j);
      // Already joined: no test (most pairs of a large cluster are never tested).
      if (a === b || notJoined(i, j) || !likelySameNeuron(known, seeds[i], seeds[j])) continue;
      root[Math.max(a, b)] = Math.min(a, b);
    }
  }
  return seeds.map((_, i) => find(i));
}

/**
 * A fast first look at a pair (the all-pairs loop above spent ~1 s in likelySameNeuron's
 * Gram-Schmidt per pair on 200 seeds): two normals of one neuron are parallel off the span of the
 * rows of layer-1 neurons whose state differs between the seeds (D). With the rows' Gram matrix
 * and W n per seed computed once, a pair costs a |D| x |D| Cholesky solve. True only where
 * likelySameNeuron is surely false: D too large for the test (|D| + 2 > min(n0, n1), where it
 * returns false on the same states: 10-20-20-1 rk 1, 8186 of the 18884 pairs tested each paid its
 * layer-1 pass for that), or both normals clearly off span(D) and clearly not parallel there
 * (cosine below 0.998, where likelySameNeuron asks for 0.999). Everything else goes to
 * likelySameNeuron.
 */
function twoNeuronFilter(layer: DenseLayer, seeds: readonly Seed[]): (i: number, j: number) => boolean {
  const { inDim: n0, outDim: n1, weights: W, biases: B } = layer;
  const rank = Math.min(n0, n1);
  const dot = (u: ArrayLike<number>, uo: number, v: ArrayLike<number>, vo: number) => {
    let s = 0;
    for (let k = 0; k < n0; k++) s += u[uo + k] * v[vo + k];
    return s;
  };
  const gram = new Float64Array(n1 * n1);
  for (let p = 0; p < n1; p++) for (let q = 0; q < n1; q++) gram[p * n1 + q] = dot(W, p * n0, W, q * n0);
  // States summed as likelySameNeuron sums them (bias first), so that both see the same D.
  const on = seeds.map((s) => Array.from({ length: n1 }, (_, j) => {
    let z = B[j];
    for (let k = 0; k < n0; k++) z += W[j * n0 + k] * s.point[k];
    return z > 0;
  }));
  const wn = seeds.map((s) => Float64Array.from({ length: n1 }, (_, j) => dot(W, j * n0, s.normal, 0)));
  const nn = seeds.map((s) => dot(s.normal, 0, s.normal, 0));
  const L = new Float64Array(rank * rank), ya = new Float64Array(rank), yb = new Float64Array(rank);
  return (i, j) => {
    const D: number[] = [];
    for (let p = 0; p < n1; p++) if (on[i][p] !== on[j][p] && D.push(p) + 2 > rank) return true;
    const d = D.length;
    // Cholesky of the Gram matrix of D's rows; a singular one is left to likelySameNeuron.
    for (let r = 0; r < d; r++) {
      for (let c = 0; c <= r; c++) {
        let s = gram[D[r] * n1 + D[c]];
        for (let k = 0; k < c; k++) s -= L[r * rank + k] * L[c * rank + k];
        if (r === c) {
          if (!(s > 1e-12 * gram[D[r] * n1 + D[r]])) return false;
          L[r * rank + r] = Math.sqrt(s);
        } else L[r * rank + c] = s / L[c * rank + c];
      }
    }
    // y = L^-1 (W n)_D: then (W n)_D' G_D^-1 (W n')_D = y . y'.
    for (const [y, v] of [[ya, wn[i]], [yb, wn[j]]] as const) {
      for (let r = 0; r < d; r++) {
        let s = v[D[r]];
        for (let k = 0; k < r; k++) s -= L[r * rank + k] * y[k];
        y[r] = s / L[r * rank + r];
      }
    }
    let qaa = 0, qbb = 0, qab = 0;
    for (let r = 0; r < d; r++) {
      qaa += ya[r] * ya[r];
      qbb += yb[r] * yb[r];
      qab += ya[r] * yb[r];
    }
    const raa = nn[i] - qaa, rbb = nn[j] - qbb, rab = dot(seeds[i].normal, 0, seeds[j].normal, 0) - qab;
    return raa > 1e-8 * nn[i] && rbb > 1e-8 * nn[j] && rab * rab < 0.996 * raa * rbb;
  };
}

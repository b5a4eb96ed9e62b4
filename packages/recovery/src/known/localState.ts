import type { DenseLayer } from '@relurec/network';

/** Pre-activations and their input gradients, layer by layer, at one point of the known layers. */
export interface LocalState {
  /** zetas[l][j]: pre-activation of neuron j of known layer l (0-based), as recovered (signed). */
  zetas: Float64Array[];
  /** grads[l]: row-major n_l x n0, grads[l][j * n0 + i] = d zeta_j / d x_i in x's region. */
  grads: Float64Array[];
  /** activations[l] = ReLU(zetas[l]). */
  activations: Float64Array[];
}

/**
 * Forward pass with forward-mode gradients through the activation pattern at x. Exact within a
 * linear region; layer 1 costs a forward pass, each deeper layer n0 times one: off the query path.
 * Every array is a view of one buffer: a Float64Array of more than 8 entries is allocated off the
 * V8 heap (1-4 us each on Node 20, most of this function's time when each had its own).
 */
export function localState(layers: readonly DenseLayer[], x: Float64Array): LocalState {
  const n0 = x.length;
  let size = 0;
  for (const { outDim: m } of layers) size += m * (2 + n0);
  const buffer = new Float64Array(size);
  let used = 0;
  const take = (length: number) => buffer.subarray(used, (used += length));
  const zetas: Float64Array[] = [], grads: Float64Array[] = [], activations: Float64Array[] = [];
  let h: Float64Array = x;
  // dh: row-major (width x n0), d z_j / d x; undefined for the input itself (the identity).
  let dh: Float64Array | undefined;
  for (let l = 0; l < layers.length; l++) {
    const { inDim: n, outDim: m, weights: W, biases: b } = layers[l];
    const z = take(m), a = take(m), g = take(m * n0);
    // Layer 1's gradients are its rows (the same values the product with the identity gave, n0
    // times cheaper: on 784 inputs that product was most of a run's coordinator time).
    if (dh === undefined) g.set(W);
    else {
      for (let j = 0; j < m; j++) {
        const gj = j * n0, wj = j * n;
        for (let k = 0; k < n; k++) {
          // d a_k / d x is d z_k / d x where k is active and 0 elsewhere: inactive rows are
          // skipped, which leaves every sum bit for bit the same (a +0 start plus +-0 stays +0).
          const w = W[wj + k];
          if (w === 0 || !(h[k] > 0)) continue;
          const gk = k * n0;
          for (let i = 0; i < n0; i++) g[gj + i] += w * dh[gk + i];
        }
      }
    }
    for (let j = 0; j < m; j++) {
      let s = b[j];
      for (let k = 0; k < n; k++) s += W[j * n + k] * h[k];
      z[j] = s;
      if (s > 0) a[j] = s;
    }
    zetas.push(z);
    grads.push(g);
    activations.push(a);
    h = a;
    dh = g;
  }
  return { zetas, grads, activations };
}

const memo = new WeakMap<Float64Array, { layers: readonly DenseLayer[]; state: LocalState }>();

/**
 * localState, remembered per point (by identity, for the same layer objects): the layer searches
 * evaluate the same boundary points against every neuron and in every solve. Points and layers
 * are never changed in place once made, so a remembered state stays right; treat it as read-only.
 */
export function cachedLocalState(layers: readonly DenseLayer[], x: Float64Array): LocalState {
  const hit = memo.get(x);
  if (hit && hit.layers.length === layers.length && hit.layers.every((l, i) => l === layers[i])) return hit.state;
  const state = localState(layers, x);
  memo.set(x, { layers: [...layers], state });
  return state;
}

/** localState without the gradients (n0 times cheaper): the same pre-activations, bit for bit. */
export function localValues(layers: readonly DenseLayer[], x: Float64Array): Pick<LocalState, 'zetas' | 'activations'> {
  const zetas: Float64Array[] = [], activations: Float64Array[] = [];
  // Views of one buffer, as in localState.
  const buffer = new Float64Array(2 * layers.reduce((s, l) => s + l.outDim, 0));
  let used = 0;
  let h: Float64Array = x;
  for (const layer of layers) {
    const { inDim: n, outDim: m, weights: W, biases: b } = layer;
    const z = buffer.subarray(used, (used += m)), a = buffer.subarray(used, (used += m));
    for (let j = 0; j < m; j++) {
      let s = b[j];
      for (let k = 0; k < n; k++) s += W[j * n + k] * h[k];
      z[j] = s;
      if (s > 0) a[j] = s;
    }
    zetas.push(z);
    activations.push(a);
    h = a;
  }
  return { zetas, activations };
}

/** Distance (input units, first order) from x to the nearest known boundary, with its layer and index. */
export function nearestKnownBoundary(state: LocalState): { layer: number; neuron: number; distance: number } {
  let best = { layer: -1, neuron: -1, distance: Infinity };
  const n0 = state.grads[0].length / state.zetas[0].length;
  state.zetas.forEach((z, l) => {
    for (let j = 0; j < z.length; j++) {
      let gn = 0;
      for (let i = 0; i < n0; i++) gn += state.grads[l][j * n0 + i] ** 2;
      if (gn === 0) continue;
      const d = Math.abs(z[j]) / Math.sqrt(gn);
      if (d < best.distance) best = { layer: l, neuron: j, distance: d };
    }
  });
  return best;
}

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
 */
export function localState(layers: readonly DenseLayer[], x: Float64Array): LocalState {
  const n0 = x.length;
  const zetas: Float64Array[] = [], grads: Float64Array[] = [], activations: Float64Array[] = [];
  let h: Float64Array = x;
  // dh: row-major (width x n0), d h_j / d x; undefined for the input itself (the identity).
  let dh: Float64Array | undefined;
  for (let l = 0; l < layers.length; l++) {
    const { inDim: n, outDim: m, weights: W, biases: b } = layers[l];
    // d a / d x feeds the next layer only: not built for the last.
    const z = new Float64Array(m), a = new Float64Array(m), da = l + 1 < layers.length ? new Float64Array(m * n0) : undefined;
    // Layer 1's gradients are its rows (the same values the product with the identity gave, n0
    // times cheaper: on 784 inputs that product was most of a run's coordinator time).
    const g = dh === undefined ? Float64Array.from(W) : new Float64Array(m * n0);
    for (let j = 0; j < m; j++) {
      let s = b[j];
      for (let k = 0; k < n; k++) s += W[j * n + k] * h[k];
      z[j] = s;
      for (let k = 0; dh !== undefined && k < n; k++) {
        const w = W[j * n + k];
        if (w === 0) continue;
        for (let i = 0; i < n0; i++) g[j * n0 + i] += w * dh[k * n0 + i];
      }
      if (s > 0) {
        a[j] = s;
        da?.set(g.subarray(j * n0, (j + 1) * n0), j * n0);
      }
    }
    zetas.push(z);
    grads.push(g);
    activations.push(a);
    h = a;
    dh = da;
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
  let h: Float64Array = x;
  for (const layer of layers) {
    const { inDim: n, outDim: m, weights: W, biases: b } = layer;
    const z = new Float64Array(m), a = new Float64Array(m);
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

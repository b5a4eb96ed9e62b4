import type { ReluNetwork } from '@relurec/network';

/**
 * Checks the shapes and finiteness of a network handed to the judge.
 * @param role 'truth' or 'recovered', named in the error
 * @throws TypeError when it is not a network, RangeError naming the bad field otherwise
 */
export function checkNetwork(net: ReluNetwork, role: string): void {
  if (net === null || typeof net !== 'object' || !Array.isArray(net.layers)) {
    throw new TypeError(`${role} must be a ReluNetwork with a layers array`);
  }
  if (net.layers.length < 1) throw new RangeError(`${role}.layers must not be empty`);
  net.layers.forEach((layer, l) => {
    const at = `${role}.layers[${l}]`;
    const { inDim, outDim, weights, biases } = layer;
    if (!Number.isInteger(inDim) || inDim < 1) throw new RangeError(`${at}.inDim must be a positive integer, got ${inDim}`);
    if (!Number.isInteger(outDim) || outDim < 1) throw new RangeError(`${at}.outDim must be a positive integer, got ${outDim}`);
    if (l > 0 && inDim !== net.layers[l - 1].outDim) {
      throw new RangeError(`${at}.inDim (${inDim}) must equal ${role}.layers[${l - 1}].outDim (${net.layers[l - 1].outDim})`);
    }
    if (!(weights instanceof Float64Array) || weights.length !== inDim * outDim) {
      throw new RangeError(`${at}.weights must be a Float64Array of outDim x inDim = ${outDim * inDim} values`);
    }
    if (!(biases instanceof Float64Array) || biases.length !== outDim) {
      throw new RangeError(`${at}.biases must be a Float64Array of outDim = ${outDim} values`);
    }
    for (let k = 0; k < weights.length; k++) {
      if (!Number.isFinite(weights[k])) throw new RangeError(`${at}.weights[${k}] must be finite, got ${weights[k]}`);
    }
    for (let k = 0; k < biases.length; k++) {
      if (!Number.isFinite(biases[k])) throw new RangeError(`${at}.biases[${k}] must be finite, got ${biases[k]}`);
    }
  });
}

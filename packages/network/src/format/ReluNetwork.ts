/** One affine layer: weights row-major (outDim x inDim), weights[i * inDim + j] = weight from input j to neuron i. */
export interface DenseLayer {
  readonly inDim: number;
  readonly outDim: number;
  readonly weights: Float64Array;
  readonly biases: Float64Array;
}

/** A fully connected ReLU network: every layer but the last is followed by ReLU. */
export interface ReluNetwork {
  readonly name: string;
  readonly meta: Record<string, unknown>;
  readonly layers: readonly DenseLayer[];
}

export function inputDim(net: ReluNetwork): number {
  return net.layers[0].inDim;
}

export function outputDim(net: ReluNetwork): number {
  return net.layers[net.layers.length - 1].outDim;
}

/** Widths from input to output, e.g. [10, 20, 20, 1]. */
export function architecture(net: ReluNetwork): number[] {
  return [inputDim(net), ...net.layers.map((l) => l.outDim)];
}

/** Number of weights and biases. */
export function parameterCount(net: ReluNetwork): number {
  return net.layers.reduce((s, l) => s + l.outDim * (l.inDim + 1), 0);
}

export function formatArchitecture(widths: readonly number[]): string {
  return widths.join('-');
}

/** Parses '10-20-20-1' into widths; throws a RangeError naming the bad part. */
export function parseArchitecture(text: string): number[] {
  const parts = String(text).split('-');
  const widths = parts.map(Number);
  if (parts.length < 2 || widths.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new RangeError(`architecture must look like 10-20-1 (positive integer widths joined by '-'), got '${text}'`);
  }
  return widths;
}

export function denseLayer(inDim: number, outDim: number, weights?: Float64Array, biases?: Float64Array): DenseLayer {
  return {
    inDim,
    outDim,
    weights: weights ?? new Float64Array(inDim * outDim),
    biases: biases ?? new Float64Array(outDim),
  };
}

/** Deep copy (new typed arrays). */
export function cloneNetwork(net: ReluNetwork, overrides: Partial<Pick<ReluNetwork, 'name' | 'meta'>> = {}): ReluNetwork {
  return {
    name: overrides.name ?? net.name,
    meta: overrides.meta ?? structuredClone(net.meta),
    layers: net.layers.map((l) => denseLayer(l.inDim, l.outDim, l.weights.slice(), l.biases.slice())),
  };
}

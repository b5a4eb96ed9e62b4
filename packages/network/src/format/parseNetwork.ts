import { NetworkFormatError } from './NetworkFormatError.js';
import { denseLayer, type DenseLayer, type ReluNetwork } from './ReluNetwork.js';

export const RELU_NET_FORMAT = 'relu-net';
export const RELU_NET_VERSION = 1;

/**
 * Validates a parsed relu-net v1 document and returns the network.
 * @param doc the JSON value
 * @param file where it came from, used in error messages
 * @throws NetworkFormatError naming the file and the field
 */
export function parseNetwork(doc: unknown, file = '<input>'): ReluNetwork {
  const fail = (field: string, message: string): never => {
    throw new NetworkFormatError(message, file, field);
  };
  if (!isObject(doc)) fail('(root)', 'expected a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.format !== RELU_NET_FORMAT) fail('format', `expected "${RELU_NET_FORMAT}", got ${JSON.stringify(d.format)}`);
  if (d.version !== RELU_NET_VERSION) fail('version', `unsupported version ${JSON.stringify(d.version)} (this reader knows ${RELU_NET_VERSION})`);
  if (d.name !== undefined && typeof d.name !== 'string') fail('name', 'must be a string');
  if (d.meta !== undefined && !isObject(d.meta)) fail('meta', 'must be an object');
  if (!Array.isArray(d.layers)) fail('layers', 'must be an array of layers');
  const rawLayers = d.layers as unknown[];
  if (rawLayers.length === 0) fail('layers', 'network is empty (no layers)');

  const layers: DenseLayer[] = [];
  let prevOut = -1;
  rawLayers.forEach((raw, li) => {
    const at = `layers[${li}]`;
    if (!isObject(raw)) fail(at, 'expected an object with weights and biases');
    const l = raw as Record<string, unknown>;
    if (!Array.isArray(l.weights)) fail(`${at}.weights`, 'must be an array of rows');
    if (!Array.isArray(l.biases)) fail(`${at}.biases`, 'must be an array of numbers');
    const rows = l.weights as unknown[];
    const biases = l.biases as unknown[];
    if (rows.length === 0) fail(`${at}.weights`, 'layer has no neurons (zero rows)');
    const firstRow = rows[0];
    if (!Array.isArray(firstRow)) fail(`${at}.weights[0]`, 'must be an array of numbers');
    const inDim = (firstRow as unknown[]).length;
    if (inDim === 0) fail(`${at}.weights[0]`, 'row is empty (zero inputs)');
    if (prevOut >= 0 && inDim !== prevOut) {
      fail(`${at}.weights`, `shape mismatch: rows have ${inDim} inputs but layers[${li - 1}] has ${prevOut} outputs`);
    }
    const outDim = rows.length;
    if (biases.length !== outDim) fail(`${at}.biases`, `has ${biases.length} entries, expected ${outDim} (one per row of weights)`);
    const w = new Float64Array(outDim * inDim);
    rows.forEach((row, i) => {
      if (!Array.isArray(row)) fail(`${at}.weights[${i}]`, 'must be an array of numbers');
      const r = row as unknown[];
      if (r.length !== inDim) fail(`${at}.weights[${i}]`, `ragged row: ${r.length} entries, expected ${inDim}`);
      for (let j = 0; j < inDim; j++) {
        const v = r[j];
        if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${at}.weights[${i}][${j}]`, `not a finite number: ${JSON.stringify(v)}`);
        w[i * inDim + j] = v as number;
      }
    });
    const b = new Float64Array(outDim);
    for (let i = 0; i < outDim; i++) {
      const v = biases[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${at}.biases[${i}]`, `not a finite number: ${JSON.stringify(v)}`);
      b[i] = v as number;
    }
    layers.push(denseLayer(inDim, outDim, w, b));
    prevOut = outDim;
  });
  return {
    name: typeof d.name === 'string' ? d.name : '',
    meta: (d.meta as Record<string, unknown>) ?? {},
    layers,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

import type { ReluNetwork } from '@relurec/network';
import type { LabelledData } from '../task/LabelledData.js';

/** Throws a RangeError when the network's input/output widths do not match the data. */
export function checkCompatible(net: ReluNetwork, data: LabelledData, netAt: string, dataAt: string): void {
  if (!Array.isArray(net?.layers) || net.layers.length === 0) throw new TypeError(`${netAt} must be a ReluNetwork with at least one layer`);
  const n0 = net.layers[0].inDim, out = net.layers[net.layers.length - 1].outDim;
  if (n0 !== data.inputDim) throw new RangeError(`${dataAt}.inputDim (${data.inputDim}) must equal the input width of ${netAt} (${n0})`);
  if (out !== data.classes) throw new RangeError(`${dataAt}.classes (${data.classes}) must equal the output width of ${netAt} (${out})`);
}

import type { LabelledData } from '../task/LabelledData.js';

/** Throws a TypeError/RangeError naming `at` (e.g. 'options.data') when the training set is malformed. */
export function checkData(data: LabelledData, at: string): void {
  if (typeof data !== 'object' || data === null) throw new TypeError(`${at} must be an object with inputs, labels, rows, inputDim and classes`);
  const { inputs, labels, rows, inputDim, classes } = data;
  if (!(inputs instanceof Float64Array)) throw new TypeError(`${at}.inputs must be a Float64Array`);
  if (!(labels instanceof Int32Array)) throw new TypeError(`${at}.labels must be an Int32Array`);
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`${at}.rows must be a positive integer, got ${rows}`);
  if (!Number.isInteger(inputDim) || inputDim < 1) throw new RangeError(`${at}.inputDim must be a positive integer, got ${inputDim}`);
  if (!Number.isInteger(classes) || classes < 2) throw new RangeError(`${at}.classes must be an integer >= 2, got ${classes}`);
  if (inputs.length !== rows * inputDim) {
    throw new RangeError(`${at}.inputs has ${inputs.length} values, expected rows (${rows}) x inputDim (${inputDim}) = ${rows * inputDim}`);
  }
  if (labels.length !== rows) throw new RangeError(`${at}.labels has ${labels.length} entries, expected rows = ${rows}`);
  for (let r = 0; r < rows; r++) {
    if (labels[r] < 0 || labels[r] >= classes) throw new RangeError(`${at}.labels[${r}] must be in [0, ${classes}), got ${labels[r]}`);
  }
  for (let k = 0; k < inputs.length; k++) {
    if (!Number.isFinite(inputs[k])) throw new RangeError(`${at}.inputs[${k}] must be finite, got ${inputs[k]}`);
  }
}

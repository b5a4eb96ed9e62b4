import { readFile } from 'node:fs/promises';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { Oracle } from '@relurec/oracle';
import { OnnxModelError } from '../errors/OnnxModelError.js';
import { OnnxRuntimeError } from '../errors/OnnxRuntimeError.js';
import type { OnnxDtype } from '../export/exportOnnx.js';
import { layerWidths } from './internal/layerWidths.js';

export interface OpenOnnxOracleOptions {
  /**
   * Threads onnxruntime may use inside one operator. Default 1: workers already run one per core,
   * and a single thread keeps results independent of the machine's core count.
   */
  intraOpNumThreads?: number;
  /** Name used in error messages when the model is given as bytes. Default '<bytes>'. */
  file?: string;
}

/**
 * A black box backed by an onnxruntime-node CPU InferenceSession. Inputs are fed as float32 or
 * float64 tensors following the model input's element type (float32 models see inputs rounded to
 * float32); outputs are returned as Float64Array. Create one with `openOnnxOracle`.
 */
export class OnnxOracle implements Oracle {
  #session: InferenceSession | undefined;
  readonly #inputName: string;
  readonly #outputName: string;
  readonly #inputShape: readonly number[];

  /** @internal use `openOnnxOracle` */
  constructor(
    session: InferenceSession,
    /** Where the model came from, used in error messages. */
    readonly file: string,
    /** Width of one input row. */
    readonly inputDim: number,
    /** Width of one output row. */
    readonly outputDim: number,
    /** Element type the model computes in. */
    readonly dtype: OnnxDtype,
    inputShape: readonly number[],
  ) {
    this.#session = session;
    this.#inputName = session.inputNames[0];
    this.#outputName = session.outputNames[0];
    this.#inputShape = inputShape;
  }

  /**
   * Evaluates `rows` input rows (row-major, rows x inputDim).
   * @returns rows x outputDim values
   * @throws RangeError when inputs.length is not rows * inputDim or an input is not finite; OnnxRuntimeError when the
   *   session is closed or onnxruntime fails
   */
  async query(inputs: Float64Array, rows: number): Promise<Float64Array> {
    if (!(inputs instanceof Float64Array)) throw new TypeError('inputs must be a Float64Array');
    if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`rows must be a non-negative integer, got ${rows}`);
    if (inputs.length !== rows * this.inputDim) {
      throw new RangeError(`inputs has ${inputs.length} values, expected rows (${rows}) x inputDim (${this.inputDim}) = ${rows * this.inputDim}`);
    }
    for (let k = 0; k < inputs.length; k++) {
      // x - x is 0 for finite x and NaN for NaN and +-Infinity.
      if (inputs[k] - inputs[k] !== 0) {
        throw new RangeError(`inputs row ${Math.floor(k / this.inputDim)} column ${k % this.inputDim} is ${inputs[k]}, inputs must be finite`);
      }
    }
    const session = this.#session;
    if (!session) throw new OnnxRuntimeError('query on a closed OnnxOracle', this.file);
    if (rows === 0) return new Float64Array(0);
    const data = this.dtype === 'float32' ? Float32Array.from(inputs) : inputs;
    let result: InferenceSession.ReturnType;
    try {
      result = await session.run({ [this.#inputName]: new Tensor(this.dtype, data, [rows, ...this.#inputShape]) });
    } catch (cause) {
      throw new OnnxRuntimeError(`inference failed on ${rows} rows (${(cause as Error).message})`, this.file, { cause });
    }
    const out = result[this.#outputName].data;
    if (!(out instanceof Float64Array || out instanceof Float32Array) || out.length !== rows * this.outputDim) {
      throw new OnnxRuntimeError(
        `output '${this.#outputName}' has ${out.length} ${out.constructor.name} values, expected ${rows} x ${this.outputDim} floats`,
        this.file,
      );
    }
    return out instanceof Float64Array ? out : Float64Array.from(out);
  }

  /** Releases the session. Safe to call twice; later queries reject. */
  async close(): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    if (session) await session.release();
  }
}

/**
 * Opens an ONNX model (a file path or the model bytes) as an Oracle on onnxruntime's CPU provider.
 * inputDim comes from the model input's shape (the product of its non-batch dims) or, when that is
 * symbolic, from the first layer's weight; outputDim likewise from the output shape, the last
 * layer's weight, or one probe evaluation of a zero row.
 * @throws RangeError naming a bad option; OnnxModelError when the file cannot be read, onnxruntime
 *   rejects the model, or its input is not a single float32/float64 tensor of known width
 */
export async function openOnnxOracle(source: string | Uint8Array, options: OpenOnnxOracleOptions = {}): Promise<OnnxOracle> {
  const threads = options.intraOpNumThreads ?? 1;
  if (!Number.isSafeInteger(threads) || threads < 1) {
    throw new RangeError(`options.intraOpNumThreads must be a positive integer, got ${JSON.stringify(threads)}`);
  }
  const file = typeof source === 'string' ? source : (options.file ?? '<bytes>');
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    try {
      bytes = await readFile(source);
    } catch (cause) {
      throw new OnnxModelError(`cannot read file (${(cause as Error).message})`, file, undefined, undefined, { cause });
    }
  } else if (source instanceof Uint8Array) {
    bytes = source;
  } else {
    throw new TypeError('source must be a file path or a Uint8Array of model bytes');
  }
  if (bytes.length === 0) throw new OnnxModelError('file is empty, not an ONNX model', file);

  let session: InferenceSession;
  try {
    session = await InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      logSeverityLevel: 3,
    });
  } catch (cause) {
    throw new OnnxModelError(`onnxruntime cannot load the model (${(cause as Error).message})`, file, undefined, undefined, { cause });
  }
  try {
    return await describe(session, bytes, file);
  } catch (error) {
    await session.release();
    throw error;
  }
}

async function describe(session: InferenceSession, bytes: Uint8Array, file: string): Promise<OnnxOracle> {
  if (session.inputNames.length !== 1) throw new OnnxModelError(`expected one model input, found ${session.inputNames.length}`, file);
  if (session.outputNames.length !== 1) throw new OnnxModelError(`expected one model output, found ${session.outputNames.length}`, file);
  const input = session.inputMetadata[0];
  const output = session.outputMetadata[0];
  if (!input.isTensor || (input.type !== 'float32' && input.type !== 'float64')) {
    throw new OnnxModelError(`model input '${input.name}' must be a float32 or float64 tensor, got ${input.isTensor ? input.type : 'a non-tensor'}`, file);
  }
  const dtype: OnnxDtype = input.type;
  const widths = layerWidths(bytes);

  let inputShape: number[];
  const inRest = input.shape.slice(1);
  if (input.shape.length >= 2 && inRest.every((d): d is number => typeof d === 'number' && d > 0)) {
    inputShape = inRest;
  } else if (input.shape.length <= 2 && widths.inputDim !== undefined) {
    inputShape = [widths.inputDim];
  } else {
    throw new OnnxModelError(
      `cannot tell the input width: input '${input.name}' has shape [${input.shape.join(', ')}] and no first-layer weight was found`,
      file,
    );
  }
  const inputDim = inputShape.reduce((p, d) => p * d, 1);

  let outputDim: number | undefined;
  const outRest = output.isTensor ? output.shape.slice(1) : [];
  if (output.isTensor && output.shape.length >= 2 && outRest.every((d): d is number => typeof d === 'number' && d > 0)) {
    outputDim = outRest.reduce((p, d) => p * d, 1);
  } else {
    outputDim = widths.outputDim;
  }
  if (outputDim === undefined) {
    const zeros = dtype === 'float32' ? new Float32Array(inputDim) : new Float64Array(inputDim);
    try {
      const r = await session.run({ [session.inputNames[0]]: new Tensor(dtype, zeros, [1, ...inputShape]) });
      outputDim = r[session.outputNames[0]].data.length;
    } catch (cause) {
      throw new OnnxModelError(`cannot tell the output width: a probe evaluation failed (${(cause as Error).message})`, file, undefined, undefined, { cause });
    }
  }
  return new OnnxOracle(session, file, inputDim, outputDim, dtype, inputShape);
}

/** Evaluates a batch of rows (row-major rows x inputDim), answering rows x outputDim. */
export type QueryFn = (inputs: Float64Array, rows: number) => Promise<Float64Array>;

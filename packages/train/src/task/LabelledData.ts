/** A classification training set: `rows` points in R^inputDim, each with a label in [0, classes). */
export interface LabelledData {
  /** Row-major points, rows x inputDim. */
  readonly inputs: Float64Array;
  /** One class index per row, each in [0, classes). */
  readonly labels: Int32Array;
  readonly rows: number;
  readonly inputDim: number;
  /** Number of classes (at least 2); the trained network's output width. */
  readonly classes: number;
}

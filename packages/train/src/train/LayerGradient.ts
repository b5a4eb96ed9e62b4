/** Gradient of a loss with respect to one DenseLayer's parameters, laid out like the layer itself. */
export interface LayerGradient {
  /** outDim x inDim, row-major: weights[i * inDim + j] is d loss / d W[i, j]. */
  readonly weights: Float64Array;
  /** d loss / d b[i], length outDim. */
  readonly biases: Float64Array;
}

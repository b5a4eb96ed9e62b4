import type { DenseLayer } from '../format/ReluNetwork.js';

/**
 * out[r, i] = b[i] + sum_j W[i, j] x[r, j], optionally followed by ReLU.
 * Hand-written because this is the hot loop of every simulated black box: tiles of 4 rows x 2
 * neurons keep eight independent add chains busy and let each loaded weight serve four rows.
 * Every output sums b + w_0 x_0 + w_1 x_1 + ... in the same order, so all paths are bit-identical.
 */
export function affine(layer: DenseLayer, x: Float64Array, rows: number, relu: boolean, out?: Float64Array): Float64Array {
  const { inDim: n, outDim: m, weights: W, biases: b } = layer;
  const y = out ?? new Float64Array(rows * m);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const o0 = r * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
    let i = 0;
    // 4 rows x 2 neurons: eight independent chains, each loaded weight serves four rows.
    for (; i + 2 <= m; i += 2) {
      const wa = i * n, wb = wa + n;
      let a0 = b[i], a1 = a0, a2 = a0, a3 = a0;
      let b0 = b[i + 1], b1 = b0, b2 = b0, b3 = b0;
      for (let j = 0; j < n; j++) {
        const u = W[wa + j], v = W[wb + j];
        const x0 = x[o0 + j], x1 = x[o1 + j], x2 = x[o2 + j], x3 = x[o3 + j];
        a0 += u * x0; a1 += u * x1; a2 += u * x2; a3 += u * x3;
        b0 += v * x0; b1 += v * x1; b2 += v * x2; b3 += v * x3;
      }
      if (relu) {
        if (a0 < 0) a0 = 0; if (a1 < 0) a1 = 0; if (a2 < 0) a2 = 0; if (a3 < 0) a3 = 0;
        if (b0 < 0) b0 = 0; if (b1 < 0) b1 = 0; if (b2 < 0) b2 = 0; if (b3 < 0) b3 = 0;
      }
      y[r * m + i] = a0; y[(r + 1) * m + i] = a1; y[(r + 2) * m + i] = a2; y[(r + 3) * m + i] = a3;
      y[r * m + i + 1] = b0; y[(r + 1) * m + i + 1] = b1; y[(r + 2) * m + i + 1] = b2; y[(r + 3) * m + i + 1] = b3;
    }
    for (; i < m; i++) {
      const wi = i * n;
      let s0 = b[i], s1 = s0, s2 = s0, s3 = s0;
      for (let j = 0; j < n; j++) {
        const w = W[wi + j];
        s0 += w * x[o0 + j];
        s1 += w * x[o1 + j];
        s2 += w * x[o2 + j];
        s3 += w * x[o3 + j];
      }
      if (relu) {
        if (s0 < 0) s0 = 0;
        if (s1 < 0) s1 = 0;
        if (s2 < 0) s2 = 0;
        if (s3 < 0) s3 = 0;
      }
      y[r * m + i] = s0;
      y[(r + 1) * m + i] = s1;
      y[(r + 2) * m + i] = s2;
      y[(r + 3) * m + i] = s3;
    }
  }
  // Leftover rows (and batch 1): four neurons at a time, so four independent add chains run in
  // parallel; each output still sums b + sum_j in the same order, so results are bit-identical.
  for (; r < rows; r++) {
    const o = r * n;
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const w0 = i * n, w1 = w0 + n, w2 = w1 + n, w3 = w2 + n;
      let s0 = b[i], s1 = b[i + 1], s2 = b[i + 2], s3 = b[i + 3];
      for (let j = 0; j < n; j++) {
        const xj = x[o + j];
        s0 += W[w0 + j] * xj;
        s1 += W[w1 + j] * xj;
        s2 += W[w2 + j] * xj;
        s3 += W[w3 + j] * xj;
      }
      y[r * m + i] = relu && s0 < 0 ? 0 : s0;
      y[r * m + i + 1] = relu && s1 < 0 ? 0 : s1;
      y[r * m + i + 2] = relu && s2 < 0 ? 0 : s2;
      y[r * m + i + 3] = relu && s3 < 0 ? 0 : s3;
    }
    for (; i < m; i++) {
      const wi = i * n;
      let s = b[i];
      for (let j = 0; j < n; j++) s += W[wi + j] * x[o + j];
      y[r * m + i] = relu && s < 0 ? 0 : s;
    }
  }
  return y;
}

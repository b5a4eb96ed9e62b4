import type { DenseLayer } from '@relurec/network';

/** A layer's incoming rows restricted to aligned columns, each scaled to unit norm. */
export interface AlignedRows {
  /** Neurons. */
  readonly count: number;
  /** Aligned columns. */
  readonly width: number;
  /** count x width, row-major. */
  readonly rows: Float64Array;
  readonly biases: Float64Array;
  /**
   * The scale each row was divided by: the norm of the restricted (rho-scaled) row; for a row of
   * norm 0 (a constant neuron ReLU(b), whose scale no weight fixes) |b|, or 1 when b is 0 as well.
   */
  readonly norms: Float64Array;
}

/**
 * Row i of the result: (W[i, cols[p]] * rho[p])_p / norm, bias b[i] / norm, norm = its Euclidean
 * norm (see `norms` for zero rows). Pass rho = null for no scaling. `normalize = false` keeps the norm at 1 (output layer: its
 * scale is part of the function).
 */
export function alignedRows(layer: DenseLayer, cols: Int32Array, rho: Float64Array | null, normalize: boolean): AlignedRows {
  const { inDim: n, outDim: count, weights: W, biases: b } = layer;
  const width = cols.length;
  const rows = new Float64Array(count * width), biases = new Float64Array(count), norms = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let s = 0;
    for (let p = 0; p < width; p++) {
      const v = W[i * n + cols[p]] * (rho === null ? 1 : rho[p]);
      rows[i * width + p] = v;
      s += v * v;
    }
    const norm = !normalize ? 1 : s > 0 ? Math.sqrt(s) : b[i] !== 0 ? Math.abs(b[i]) : 1;
    norms[i] = norm;
    biases[i] = b[i];
    if (norm !== 1) {
      for (let p = 0; p < width; p++) rows[i * width + p] /= norm;
      biases[i] /= norm;
    }
  }
  return { count, width, rows, biases, norms };
}

/**
 * max |t_i - sign * r_j| over the weights and |bt_i - sign * br_j| of the bias, as [weight, bias].
 * sign = -1 compares with the negated recovered neuron.
 */
export function rowErrors(t: AlignedRows, i: number, r: AlignedRows, j: number, sign: 1 | -1): [number, number] {
  const w = t.width;
  let we = 0;
  for (let p = 0; p < w; p++) {
    const d = Math.abs(t.rows[i * w + p] - sign * r.rows[j * w + p]);
    if (d > we) we = d;
  }
  return [we, Math.abs(t.biases[i] - sign * r.biases[j])];
}

/** max(weight, bias) error of a pair, stopping early (returning some value > cap) once it exceeds cap. */
export function cappedRowError(t: AlignedRows, i: number, r: AlignedRows, j: number, cap: number): number {
  const w = t.width;
  let e = Math.abs(t.biases[i] - r.biases[j]);
  if (e > cap) return e;
  const ti = i * w, rj = j * w;
  for (let p = 0; p < w; p++) {
    const d = Math.abs(t.rows[ti + p] - r.rows[rj + p]);
    if (d > e) {
      e = d;
      if (e > cap) return e;
    }
  }
  return e;
}

/**
 * rowErrors with the columns flagged in `skip` (1 = left out) left out: both rows renormalised over
 * the rest, their biases alike. `tNorm`, `rNorm`: the rows' norms over the rest in the units
 * alignedRows started from (the scale of each neuron then). rowErrors and the full norms when
 * nothing is skipped or a row is 0 on the rest.
 */
export function rowErrorsWithout(t: AlignedRows, i: number, r: AlignedRows, j: number, sign: 1 | -1, skip: Uint8Array | null): { errors: [number, number]; tNorm: number; rNorm: number } {
  const w = t.width;
  let st = 0, sr = 0, skipped = false;
  for (let p = 0; p < w; p++) {
    if (skip?.[p]) {
      skipped = true;
      continue;
    }
    st += t.rows[i * w + p] ** 2;
    sr += r.rows[j * w + p] ** 2;
  }
  if (!skipped || !(st > 0) || !(sr > 0)) return { errors: rowErrors(t, i, r, j, sign), tNorm: t.norms[i], rNorm: r.norms[j] };
  const ft = 1 / Math.sqrt(st), fr = 1 / Math.sqrt(sr);
  let we = 0;
  for (let p = 0; p < w; p++) {
    if (skip![p]) continue;
    const d = Math.abs(t.rows[i * w + p] * ft - sign * r.rows[j * w + p] * fr);
    if (d > we) we = d;
  }
  return { errors: [we, Math.abs(t.biases[i] * ft - sign * r.biases[j] * fr)], tNorm: t.norms[i] / ft, rNorm: r.norms[j] / fr };
}

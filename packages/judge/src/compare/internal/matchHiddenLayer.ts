import type { DenseLayer } from '@relurec/network';
import { LayerKind, type LayerComparison, type RejectedPair, type UnusedWeight } from '../NetworkComparison.js';
import { alignedRows, cappedRowError, rowErrorsWithout, type AlignedRows } from './alignedRows.js';
import { assignMinCost } from './assignMinCost.js';
import { UNUSED_PROVED } from './unusedInputs.js';
import type { ColumnAlignment } from './ColumnAlignment.js';
import { summarizeLayer, unmatchedLayer, type ScoredPair } from './summarizeLayer.js';

export interface HiddenLayerMatch {
  readonly comparison: LayerComparison;
  /** Columns of the next layer: the matched pairs of this one, in increasing true index. */
  readonly next: ColumnAlignment;
}

/** Flags (outDim x inDim; unusedInputs: UNUSED_SEARCHED or UNUSED_PROVED, 0 = used) of a hidden layer of each network. */
export interface UnusedFlags {
  readonly truth: Uint8Array;
  readonly recovered: Uint8Array;
}

/**
 * Matches the neurons of a hidden layer of two canonical networks.
 *
 * Rows are aligned on `columns` and scaled to unit norm over them; the cost of (true i, recovered j)
 * is the max abs difference of aligned rows and biases. The assignment maximises the number of pairs
 * within `tolerance` first, then minimises their summed cost. Leftovers on both sides are paired
 * once more, by min(cost, cost of the negated recovered neuron), and reported as rejected pairs.
 * `unused`: a column unused by true neuron i and by recovered neuron j alike is left out of their
 * cost and errors (both rows renormalised on the rest, the next layer's rho alike), and listed.
 */
export function matchHiddenLayer(
  layer: number,
  truth: DenseLayer,
  recovered: DenseLayer,
  columns: ColumnAlignment,
  tolerance: number,
  unused?: UnusedFlags,
): HiddenLayerMatch {
  const nT = truth.outDim, nR = recovered.outDim;
  if (columns.trueCols.length === 0) {
    const none = { trueCols: new Int32Array(0), recCols: new Int32Array(0), rho: new Float64Array(0) };
    return { comparison: unmatchedLayer(layer, LayerKind.hidden, nT, nR), next: none };
  }
  const t = alignedRows(truth, columns.trueCols, null, true);
  const r = alignedRows(recovered, columns.recCols, columns.rho, true);

  // Columns left out of (i, j): unused by both. Only rows of true neurons with an unused column
  // among the aligned ones look (rare: most networks have none).
  const width = columns.trueCols.length;
  const tUnused = (i: number) => unused !== undefined && columns.trueCols.some((c) => unused.truth[i * truth.inDim + c] > 0);
  const rowHas = Uint8Array.from({ length: nT }, (_, i) => (tUnused(i) ? 1 : 0));
  const skipOf = (i: number, j: number): Uint8Array | null => {
    if (!rowHas[i]) return null;
    const skip = new Uint8Array(width);
    let any = false;
    for (let p = 0; p < width; p++) {
      const inT = unused!.truth[i * truth.inDim + columns.trueCols[p]], inR = unused!.recovered[j * recovered.inDim + columns.recCols[p]];
      if (inT > 0 && inR > 0) (skip[p] = inT === UNUSED_PROVED && inR === UNUSED_PROVED ? 2 : 1), (any = true);
    }
    return any ? skip : null;
  };
  const cost = new Float64Array(nT * nR);
  const rowOk = new Uint8Array(nT), colOk = new Uint8Array(nR);
  for (let i = 0; i < nT; i++) {
    for (let j = 0; j < nR; j++) {
      const skip = skipOf(i, j);
      const e = skip ? Math.max(...rowErrorsWithout(t, i, r, j, 1, skip).errors) : cappedRowError(t, i, r, j, tolerance);
      cost[i * nR + j] = e;
      if (e <= tolerance) rowOk[i] = colOk[j] = 1;
    }
  }
  const assigned = assignWithinTolerance(cost, nT, nR, rowOk, colOk, tolerance);

  const scored: ScoredPair[] = [];
  const trueTaken = new Uint8Array(nT), recTaken = new Uint8Array(nR);
  const scale = new Map<number, number>(), unusedWeights: UnusedWeight[] = [];
  for (let i = 0; i < nT; i++) {
    const j = assigned[i];
    if (j < 0) continue;
    const skip = skipOf(i, j);
    const { errors: [weightError, biasError], tNorm, rNorm } = rowErrorsWithout(t, i, r, j, 1, skip);
    scored.push({ truth: i, recovered: j, error: Math.max(weightError, biasError), weightError, biasError });
    trueTaken[i] = 1;
    recTaken[j] = 1;
    // recovered activation / true activation: both are (row norm) x ReLU(unit row . h + bias / norm),
    // the norm over the columns compared (an unused input is off wherever the neuron is on)
    scale.set(i, rNorm / tNorm);
    skip?.forEach((s, p) => {
      if (s) unusedWeights.push({ truth: i, recovered: j, trueInput: columns.trueCols[p], recoveredInput: columns.recCols[p], proved: s === 2 });
    });
  }

  const rejected = pairLeftovers(t, r, trueTaken, recTaken, tolerance, skipOf);
  const comparison = summarizeLayer(layer, LayerKind.hidden, nT, nR, scored, rejected, unusedWeights);

  const k = comparison.pairs.length;
  const next = { trueCols: new Int32Array(k), recCols: new Int32Array(k), rho: new Float64Array(k) };
  comparison.pairs.forEach(({ truth: i, recovered: j }, p) => {
    next.trueCols[p] = i;
    next.recCols[p] = j;
    next.rho[p] = scale.get(i)!;
  });
  return { comparison, next };
}

/**
 * The most pairs with cost <= tolerance, then the least summed cost among them: rows and columns
 * with no acceptable entry are left out (all-penalty rows are pure ties, the solver's worst case),
 * and every entry above tolerance costs more than any set of acceptable pairs. Returns rowToCol with
 * -1 for rows not paired within tolerance.
 */
function assignWithinTolerance(cost: Float64Array, nT: number, nR: number, rowOk: Uint8Array, colOk: Uint8Array, tolerance: number): Int32Array {
  const rows: number[] = [], cols: number[] = [];
  rowOk.forEach((ok, i) => { if (ok) rows.push(i); });
  colOk.forEach((ok, j) => { if (ok) cols.push(j); });
  const penalty = (Math.min(rows.length, cols.length) + 1) * tolerance;
  const sub = new Float64Array(rows.length * cols.length);
  rows.forEach((i, a) => cols.forEach((j, c) => {
    const e = cost[i * nR + j];
    sub[a * cols.length + c] = e <= tolerance ? e : penalty;
  }));
  const subAssigned = assignMinCost(sub, rows.length, cols.length);
  const rowToCol = new Int32Array(nT).fill(-1);
  subAssigned.forEach((c, a) => {
    if (c >= 0 && sub[a * cols.length + c] <= tolerance) rowToCol[rows[a]] = cols[c];
  });
  return rowToCol;
}

function pairLeftovers(
  t: AlignedRows,
  r: AlignedRows,
  trueTaken: Uint8Array,
  recTaken: Uint8Array,
  tolerance: number,
  skipOf: (i: number, j: number) => Uint8Array | null,
): RejectedPair[] {
  const ti: number[] = [], rj: number[] = [];
  trueTaken.forEach((taken, i) => { if (!taken) ti.push(i); });
  recTaken.forEach((taken, j) => { if (!taken) rj.push(j); });
  if (ti.length === 0 || rj.length === 0) return [];
  const plain = new Float64Array(ti.length * rj.length), flipped = new Float64Array(ti.length * rj.length);
  ti.forEach((i, a) => rj.forEach((j, c) => {
    const skip = skipOf(i, j);
    plain[a * rj.length + c] = Math.max(...rowErrorsWithout(t, i, r, j, 1, skip).errors);
    flipped[a * rj.length + c] = Math.max(...rowErrorsWithout(t, i, r, j, -1, skip).errors);
  }));
  const nearest = plain.map((e, k) => Math.min(e, flipped[k]));
  const assigned = assignMinCost(nearest, ti.length, rj.length);
  const rejected: RejectedPair[] = [];
  assigned.forEach((c, a) => {
    if (c < 0) return;
    const k = a * rj.length + c;
    rejected.push({ truth: ti[a], recovered: rj[c], error: plain[k], signFlipped: flipped[k] <= tolerance });
  });
  return rejected;
}

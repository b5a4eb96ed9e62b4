import type { DenseLayer } from '@relurec/network';
import { LayerKind, type LayerComparison } from '../NetworkComparison.js';
import { alignedRows, rowErrors } from './alignedRows.js';
import type { ColumnAlignment } from './ColumnAlignment.js';
import { summarizeLayer, unmatchedLayer, type ScoredPair } from './summarizeLayer.js';

/**
 * Compares the output layers of two canonical networks. Outputs are identified by index (no
 * permutation or scaling freedom), so the common outputs are matched whatever their error; rows are
 * compared on the aligned columns, recovered columns scaled by rho, without renormalisation.
 */
export function compareOutputLayer(layer: number, truth: DenseLayer, recovered: DenseLayer, columns: ColumnAlignment): LayerComparison {
  const m = truth.outDim, mHat = recovered.outDim;
  if (columns.trueCols.length === 0) return unmatchedLayer(layer, LayerKind.output, m, mHat);
  const t = alignedRows(truth, columns.trueCols, null, false);
  const r = alignedRows(recovered, columns.recCols, columns.rho, false);
  const scored: ScoredPair[] = [];
  for (let o = 0; o < Math.min(m, mHat); o++) {
    const [weightError, biasError] = rowErrors(t, o, r, o, 1);
    scored.push({ truth: o, recovered: o, error: Math.max(weightError, biasError), weightError, biasError });
  }
  return summarizeLayer(layer, LayerKind.output, m, mHat, scored, []);
}

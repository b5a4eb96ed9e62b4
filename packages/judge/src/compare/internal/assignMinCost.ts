import { linearSumAssignment } from 'linear-sum-assignment';
import { AssignmentError } from '../../errors/AssignmentError.js';

/**
 * Minimum-sum assignment on a rows x cols cost matrix (row-major, rectangular allowed), solved by
 * Jonker-Volgenant (mljs linear-sum-assignment). Exactly min(rows, cols) pairs are made.
 * Returns rowToCol: the column given to each row, -1 for a row left without one.
 * @throws AssignmentError when a cost is not finite or the solver returns an incomplete assignment
 */
export function assignMinCost(cost: Float64Array, rows: number, cols: number): Int32Array {
  const rowToCol = new Int32Array(rows).fill(-1);
  if (rows === 0 || cols === 0) return rowToCol;
  if (cost.length !== rows * cols) throw new AssignmentError(`cost has ${cost.length} entries`, rows, cols);
  for (let k = 0; k < cost.length; k++) {
    if (!Number.isFinite(cost[k])) throw new AssignmentError(`cost[${k}] is ${cost[k]}, costs must be finite`, rows, cols);
  }
  const matrix: Float64Array[] = [];
  for (let i = 0; i < rows; i++) matrix.push(cost.slice(i * cols, (i + 1) * cols));
  const result = linearSumAssignment(matrix, { maximaze: false });
  const taken = new Uint8Array(cols);
  let pairs = 0;
  for (let i = 0; i < rows; i++) {
    const j = result.rowAssignments[i];
    if (j === -1) continue;
    if (!Number.isInteger(j) || j < 0 || j >= cols || taken[j]) {
      throw new AssignmentError(`solver returned column ${j} for row ${i}`, rows, cols);
    }
    taken[j] = 1;
    rowToCol[i] = j;
    pairs++;
  }
  if (pairs !== Math.min(rows, cols)) throw new AssignmentError(`solver made ${pairs} pairs, expected ${Math.min(rows, cols)}`, rows, cols);
  return rowToCol;
}

import t from 'tap';
import { createRng } from '@relurec/random';
import { AssignmentError } from '../src/index.js';
import { assignMinCost } from '../src/compare/internal/assignMinCost.js';

/** Minimum total cost over all injective maps of the smaller side into the larger, by enumeration. */
function bruteForceMin(cost: Float64Array, rows: number, cols: number): number {
  let best = Infinity;
  const usedCols = new Uint8Array(cols), usedRows = new Uint8Array(rows);
  const byRow = rows <= cols;
  const walk = (a: number, sum: number): void => {
    if (a === Math.min(rows, cols)) { best = Math.min(best, sum); return; }
    for (let b = 0; b < Math.max(rows, cols); b++) {
      const used = byRow ? usedCols : usedRows;
      if (used[b]) continue;
      used[b] = 1;
      walk(a + 1, sum + (byRow ? cost[a * cols + b] : cost[b * cols + a]));
      used[b] = 0;
    }
  };
  walk(0, 0);
  return best;
}

t.test('assignMinCost - optimal against enumeration on random square and rectangular matrices', async (t) => {
  const rng = createRng(1);
  for (let trial = 0; trial < 120; trial++) {
    const rows = 1 + rng.nextInt(6), cols = 1 + rng.nextInt(6);
    // Half the trials use few distinct integer costs, to exercise ties.
    const cost = Float64Array.from({ length: rows * cols }, () => (trial % 2 ? rng.nextDouble() : rng.nextInt(3)));
    const rowToCol = assignMinCost(cost, rows, cols);
    const cols2 = Array.from(rowToCol).filter((c) => c >= 0);
    t.equal(cols2.length, Math.min(rows, cols), `${rows}x${cols}: min(rows, cols) pairs`);
    t.equal(new Set(cols2).size, cols2.length, 'each column at most once');
    let sum = 0;
    rowToCol.forEach((c, r) => { if (c >= 0) sum += cost[r * cols + c]; });
    // Sums of <= 6 numbers in [0, 3): enumeration and solver agree to rounding (1e-12).
    t.ok(Math.abs(sum - bruteForceMin(cost, rows, cols)) <= 1e-12, `${rows}x${cols} trial ${trial}: ${sum}`);
  }
});

t.test('assignMinCost - empty sides, identity and a known anti-diagonal answer', async (t) => {
  t.same(Array.from(assignMinCost(new Float64Array(0), 0, 4)), []);
  t.same(Array.from(assignMinCost(new Float64Array(0), 3, 0)), [-1, -1, -1]);
  t.same(Array.from(assignMinCost(Float64Array.from([0, 1, 1, 0]), 2, 2)), [0, 1]);
  // cost[i][j] = |i + j - 2| on 3x3: the anti-diagonal is the only zero-cost assignment.
  t.same(Array.from(assignMinCost(Float64Array.from([2, 1, 0, 1, 0, 1, 0, 1, 2]), 3, 3)), [2, 1, 0]);
  // 3 rows, 2 columns: row 1 is the expensive one and is left out.
  t.same(Array.from(assignMinCost(Float64Array.from([0, 5, 9, 9, 5, 0]), 3, 2)), [0, -1, 1]);
});

t.test('assignMinCost - non-finite costs and a wrong size throw AssignmentError', async (t) => {
  t.throws(() => assignMinCost(Float64Array.from([0, NaN]), 1, 2), AssignmentError);
  t.throws(() => assignMinCost(Float64Array.from([0, Infinity]), 2, 1), { name: 'AssignmentError', rows: 2, cols: 1 });
  t.throws(() => assignMinCost(Float64Array.from([0, 1, 2]), 2, 2), AssignmentError);
});

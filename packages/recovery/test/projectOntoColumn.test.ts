import t from 'tap';
import { denseLayer } from '@relurec/network';
import { createRng } from '@relurec/random';
import { projectOntoColumn } from '../src/deeper/reachFixedColumns.js';
import { candidateValue } from '../src/deeper/Candidate.js';
import { localState } from '../src/known/localState.js';

// A constructed layer 1 (8 unit rows in R^5) and one layer-2 neuron over it. From a point on the
// neuron's boundary, Newton steps must end on that boundary (value 0) at the set margin short of the
// boundary of a layer-1 neuron inactive there, on the same side. Expected values: the construction.
const n0 = 5, n1 = 8;
const rng = createRng(11);
const W1 = new Float64Array(n1 * n0), B1 = new Float64Array(n1);
for (let j = 0; j < n1; j++) {
  const w = rng.gaussianArray(n0), s = Math.hypot(...w);
  for (let i = 0; i < n0; i++) W1[j * n0 + i] = w[i] / s;
  B1[j] = 0.5 * rng.nextGaussian();
}
const known = [denseLayer(n0, n1, W1, B1)];
const cand = { c: Float64Array.from(rng.gaussianArray(n1)), lambda: new Float64Array(n0), bias: 0.2 };
const value = (x: Float64Array) => candidateValue(known, cand, x).value;

function boundaryPoint(): Float64Array {
  for (;;) {
    const a = rng.gaussianArray(n0).map((v) => 2 * v), b = rng.gaussianArray(n0).map((v) => 2 * v);
    const at = (s: number) => a.map((v, i) => v + s * (b[i] - v));
    let lo = 0, hi = 1;
    const flo = value(at(0));
    if (Math.sign(flo) === Math.sign(value(at(1)))) continue;
    for (let it = 0; it < 200 && hi - lo > 1e-17; it++) {
      const mid = 0.5 * (lo + hi);
      if (Math.sign(value(at(mid))) === Math.sign(flo)) lo = mid; else hi = mid;
    }
    return at(0.5 * (lo + hi));
  }
}

/** A boundary point and a layer-1 neuron inactive there (undefined when every one is active). */
function startAndColumn(): { from: Float64Array; column: number; st: ReturnType<typeof localState> } | undefined {
  const from = boundaryPoint();
  const st = localState(known, from);
  const column = Array.from({ length: n1 }, (_, j) => j).find((j) => st.zetas[0][j] < 0);
  return column === undefined ? undefined : { from, column, st };
}

t.test('projectOntoColumn - ends on the predicted boundary, margin short of the column, same side', async (t) => {
  let reached = 0;
  for (let trial = 0; trial < 10; trial++) {
    const start = startAndColumn();
    if (!start) continue;
    const { from, column } = start;
    const w = projectOntoColumn(known, cand, from, column, { radius: 50, fixed: [], fixedStates: [], margin: 1e-2 });
    if (w.kind !== 'reached') continue;
    reached++;
    const end = localState(known, w.point);
    const g = Math.hypot(...end.grads[0].subarray(column * n0, (column + 1) * n0));
    t.ok(Math.abs(value(w.point)) < 1e-12, `on the boundary (${value(w.point).toExponential(1)})`);
    t.ok(Math.abs(end.zetas[0][column] / g + 1e-2) < 1e-9, `1e-2 short of column ${column}, inactive side (${(end.zetas[0][column] / g).toExponential(3)})`);
    t.ok(Math.abs(Math.hypot(...w.normal) - 1) < 1e-12, 'unit normal');
  }
  t.ok(reached >= 5, `most starts reach their column (${reached} of 10)`);
});

t.test('projectOntoColumn - a fixed input that would change state blocks it', async (t) => {
  let blocked = 0;
  for (let trial = 0; trial < 20; trial++) {
    const start = startAndColumn();
    if (!start) continue;
    const { from, column, st } = start;
    const free = projectOntoColumn(known, cand, from, column, { radius: 50, fixed: [], fixedStates: [] });
    if (free.kind !== 'reached') continue;
    // Every other input fixed in its starting state: reached only if none of them switched.
    const others = Array.from({ length: n1 }, (_, j) => j).filter((j) => j !== column);
    const states = others.map((j) => (st.zetas[0][j] > 0 ? 1 : 0));
    const end = localState(known, free.point);
    const switched = others.some((j, q) => (end.zetas[0][j] > 0 ? 1 : 0) !== states[q]);
    const w = projectOntoColumn(known, cand, from, column, { radius: 50, fixed: others, fixedStates: states });
    t.equal(w.kind, switched ? 'blocked' : 'reached', `trial ${trial}`);
    if (switched) blocked++;
  }
  t.ok(blocked > 0, `some ends switch another input (${blocked})`);
});

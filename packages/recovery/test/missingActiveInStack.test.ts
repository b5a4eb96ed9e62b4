import t from 'tap';
import { readFileSync } from 'node:fs';
import { denseLayer, generateNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import { missingActiveInStack } from '../src/deeper/missingActiveInStack.js';
import { solveLayerSigns, type UnsignedRow } from '../src/deeper/solveLayerSigns.js';

// 10-20-20-20-1 rk seed 3: its layer-2 neuron 1 is active on 100 % of N(0, I) inputs (98.9 % at 3
// scales), so the layer-3 traces never see it switch. The layer-3 rows in the unsigned form of
// ALGORITHM.md section 4, over a recovered layer 2 without neuron 1 and with some rows' signs
// flipped: lambda_z = -sum_j f_j c_zj V_j + U_z1 w, w neuron 1's row over h^1.
const net = generateNetwork({ architecture: [10, 20, 20, 20, 1], seed: 3, init: 'rk' });
const [, L2, L3] = net.layers;
const missing = 1, n = L2.inDim;
const keep = Array.from({ length: L2.outDim }, (_, j) => j).filter((j) => j !== missing);
const flips = keep.map((_, i) => (i % 3 === 1 ? 1 : 0));
const rowOf = (j: number) => L2.weights.slice(j * n, (j + 1) * n);
const Wr = new Float64Array(keep.length * n), br = new Float64Array(keep.length);
keep.forEach((j, i) => {
  Wr.set(rowOf(j).map((v) => (flips[i] ? -v : v)), i * n);
  br[i] = flips[i] ? -L2.biases[j] : L2.biases[j];
});
const recovered = denseLayer(n, keep.length, Wr, br);
const w = rowOf(missing);

function unsignedRows(withMissing: boolean): UnsignedRow[] {
  return Array.from({ length: L3.outDim }, (_, z) => {
    const c = Float64Array.from(keep, (j) => L3.weights[z * L3.inDim + j]);
    const lambda = new Float64Array(n);
    keep.forEach((_, i) => {
      if (flips[i]) for (let q = 0; q < n; q++) lambda[q] -= c[i] * Wr[i * n + q];
    });
    if (withMissing) for (let q = 0; q < n; q++) lambda[q] += L3.weights[z * L3.inDim + missing] * w[q];
    return { c, lambda };
  });
}

t.test('missingActiveInStack - the row of a layer-2 neuron active on every trace point, and the flips (10-20-20-20-1 rk 3)', async (t) => {
  const rows = unsignedRows(true);
  const plain = solveLayerSigns(recovered, rows, 0);
  t.ok(plain.residual > 1e-3, `the plain stack does not close (residual ${plain.residual.toExponential(1)})`);
  const r = missingActiveInStack(recovered, rows);
  t.ok(r, 'found');
  t.same(Array.from(r!.flips), flips, 'the flipped rows');
  const unit = Array.from(w, (v) => v / Math.hypot(...w)), sign = Math.sign(r!.row[0] * unit[0]);
  const err = Math.max(...unit.map((v, q) => Math.abs(v - sign * r!.row[q])));
  t.ok(err < 1e-9, `row error ${err.toExponential(1)} (< 1e-9)`);
  t.ok(r!.residual < 1e-9, `residual ${r!.residual.toExponential(1)}`);
});

t.test('missingActiveInStack - with fixed columns and a partial support per row', async (t) => {
  const rng = createRng(5);
  const rows = unsignedRows(true).map((row) => {
    const fixed = [rng.nextInt(keep.length)];
    const support = Array.from({ length: n }, (_, q) => q).filter(() => rng.nextDouble() < 0.85);
    return { ...row, fixedColumns: fixed, support };
  });
  const r = missingActiveInStack(recovered, rows);
  t.ok(r, 'found');
  t.same(Array.from(r!.flips), flips, 'the flipped rows');
  const unit = Array.from(w, (v) => v / Math.hypot(...w)), sign = Math.sign(r!.row[0] * unit[0]);
  t.ok(Math.max(...unit.map((v, q) => Math.abs(v - sign * r!.row[q]))) < 1e-9, 'the row');
});

t.test('missingActiveInStack - nothing missing: no row', async (t) => {
  t.equal(missingActiveInStack(recovered, unsignedRows(false)), undefined);
});

// Stacks as five real recoveries met them (fixtures/deeperStacks.json, with the truth's flips and rows).
const stacks = JSON.parse(readFileSync(new URL('./fixtures/deeperStacks.json', import.meta.url), 'utf8'));
function realStack(name: string) {
  const fx = stacks[name];
  const prev = denseLayer(fx.prev.inDim, fx.prev.outDim, Float64Array.from(fx.prev.weights), Float64Array.from(fx.prev.biases));
  const rows: UnsignedRow[] = fx.rows.map((r: { c: number[]; lambda: number[]; fixedColumns: number[]; support: number[] }) => ({ c: Float64Array.from(r.c), lambda: Float64Array.from(r.lambda), fixedColumns: r.fixedColumns, support: r.support }));
  return { prev, rows, flips: fx.expectedFlips as number[], missingRow: fx.missingRow as number[] | undefined };
}

for (const [name, wrong] of [['rk3', [1]], ['rk2', [5, 6, 9, 14]], ['rk6-15', [8]], ['carlini3', [2, 4, 5, 6, 9, 10, 17]], ['depth4-six', []]] as const) {
  t.test(`missingActiveInStack - a real stack (${stacks[name].about.split(':')[0]}): the missing row, the flips, the wrong rows left out`, async (t) => {
    const { prev, rows, flips, missingRow } = realStack(name);
    const plain = solveLayerSigns(prev, rows);
    t.ok(plain.margin > 0.05 || plain.residual > 1e-6, `the plain stack, even leaving rows out, is not clean (margin ${plain.margin.toExponential(1)}, residual ${plain.residual.toExponential(1)})`);
    const r = missingActiveInStack(prev, rows);
    t.ok(r, 'found');
    t.same(Array.from(r!.flips), flips, 'the true flips');
    t.same(r!.dropped, wrong, 'the wrong rows');
    // On the coordinates of h^(k-2) the rows see (elsewhere the row is not determined: 0).
    const seen = missingRow!.map((v, i) => (r!.seen.includes(i) ? v : 0)), norm = Math.hypot(...seen);
    const cos = Math.abs(r!.row.reduce((a, v, i) => a + v * seen[i], 0)) / norm;
    t.ok(1 - cos < 1e-9, `the missing neuron's row on the ${r!.seen.length} coordinates seen (1 - |cos| = ${(1 - cos).toExponential(1)})`);
  });
}

t.test('solveLayerSigns - a real stack with six wrong rows of 20 (10-20-20-20-1 carlini 1): the flips most rows agree on', async (t) => {
  const { prev, rows, flips } = realStack('carlini1');
  const signs = solveLayerSigns(prev, rows);
  t.same(Array.from(signs.flips), flips, 'the true flips');
  t.ok(signs.margin < 1e-6 && signs.residual < 1e-6, `clean (margin ${signs.margin.toExponential(1)}, residual ${signs.residual.toExponential(1)})`);
  t.same(signs.dropped, [1, 3, 6, 7, 14, 17], 'three rows with c ~ 0 (no sign information) and three off the others');
  t.equal(missingActiveInStack(prev, rows), undefined, 'and no missing neuron is invented');
});

import t from 'tap';
import { denseLayer } from '@relurec/network';
import { dominantPoints } from '../src/known/dominantPoints.js';
import { jointActivePoint } from '../src/known/jointActivePoint.js';

// h = relu(x) in three dimensions: the known layer is the identity, so where one neuron carries the
// layer alone is exact: the minimum of sum_{k != i} h_k / s_k - h_i / s_i over |x| <= R is -R / s_i,
// reached only at R e_i (every other coordinate <= 0, x_i as large as the ball allows).
const identity = denseLayer(3, 3, Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]), new Float64Array(3));
const starts = [[0.3, 0.2, 0.1], [-0.5, 0.4, 0.2], [0.1, -0.2, 0.6], [0.2, 0.3, -0.4], [-0.1, -0.2, 0.3]].map((v) => Float64Array.from(v));

t.test('dominantPoints: each neuron of an identity layer alone at R e_i', async (t) => {
  const pts = dominantPoints([identity], starts, { radii: [1] });
  t.same(pts.map((p) => p.neuron), [0, 1, 2], 'one point per neuron, in order');
  const R = Math.sqrt(3);
  for (const { neuron, point } of pts) {
    const off = Math.max(...Array.from(point, (v, d) => Math.abs(v - (d === neuron ? R : 0))));
    // The other coordinates only need to be <= 0; the ascent leaves them at 0 or below.
    t.ok(Math.abs(point[neuron] - R) < 1e-9, `neuron ${neuron}: x_${neuron} = ${point[neuron]} (R = ${R})`);
    t.ok(Array.from(point).every((v, d) => d === neuron || v <= 1e-12), `neuron ${neuron}: the others off (${Array.from(point, (v) => v.toFixed(3)).join(', ')}; ${off.toExponential(1)} from R e_i)`);
  }
  t.same(dominantPoints([identity], starts, { radii: [1, 3] }).length, 6, 'one point per neuron and radius');
});

t.test('dominantPoints: a neuron on at none of the starts gives none', async (t) => {
  const layer = denseLayer(3, 3, Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]), Float64Array.from([0, 0, -100]));
  t.same(dominantPoints([layer], starts, { radii: [1] }).map((p) => p.neuron), [0, 1]);
  t.throws(() => dominantPoints([identity], starts, { perNeuron: 0 }), /perNeuron/);
});

// Layer 2, one neuron: zeta_z = h_0 - h_2. With input 1 on and input 2 held off, the distances to the
// three boundaries in that piece are x_0, x_1 and -x_2: their smallest is largest at
// R (1, 1, -1) / sqrt(3), R / sqrt(3) deep.
t.test('jointActivePoint: deepest where z and input i are on and the other unseen input off', async (t) => {
  const z = denseLayer(3, 1, Float64Array.from([1, 0, -1]), new Float64Array(1));
  const R = 2;
  const got = jointActivePoint([identity, z], 0, 1, [2], starts, R);
  t.ok(got, 'found');
  const want = [1, 1, -1].map((v) => (R * v) / Math.sqrt(3));
  t.ok(Math.max(...want.map((v, d) => Math.abs(v - got!.point[d]))) < 1e-6, `point ${Array.from(got!.point, (v) => v.toFixed(6)).join(', ')}`);
  t.ok(Math.abs(got!.depth - R / Math.sqrt(3)) < 1e-6, `depth ${got!.depth}`);
  // z = h_2 is on only where input 2 is, which must stay off: no such point.
  const onlyWithTwo = denseLayer(3, 1, Float64Array.from([0, 0, 1]), new Float64Array(1));
  t.equal(jointActivePoint([identity, onlyWithTwo], 0, 1, [2], starts, R), undefined, 'none when the conditions exclude each other');
  t.throws(() => jointActivePoint([identity], 0, 1, [], starts, R), /two known layers/);
});

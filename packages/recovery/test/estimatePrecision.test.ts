import t from 'tap';
import { solveCandidate } from '../src/index.js';
import { estimateRowPrecision } from '../src/deeper/estimatePrecision.js';
import { boundaryFixture } from './fixtures/boundaryFixture.js';

t.test('estimateRowPrecision - tracks the actual error of noisy boundary points, ~0 for exact ones', async (t) => {
  const { known, cand, points } = boundaryFixture(5);
  const exact = estimateRowPrecision(known, points(60, 0));
  t.ok(exact.maxStd < 1e-13, `exact points: estimated ${exact.maxStd.toExponential(1)} (expected < 1e-13, rounding only)`);
  // Noise 1e-9 in zeta units: over 8 draws the actual errors and the estimate agree within ~3x
  // (the estimate is a standard error; the judge takes the largest coefficient error).
  const ratios: number[] = [];
  let dofs = true;
  for (let trial = 0; trial < 8; trial++) {
    const pts = points(60, 1e-9);
    const est = estimateRowPrecision(known, pts);
    const sol = solveCandidate(known, pts, true);
    const s = Math.hypot(...sol.c) * Math.sign(sol.c.reduce((a, v, j) => a + v * cand.c[j], 0));
    let err = Math.abs(sol.bias / s - cand.bias);
    sol.c.forEach((v, j) => (err = Math.max(err, Math.abs(v / s - cand.c[j]))));
    ratios.push(err / est.maxStd);
    dofs &&= est.dof === 60 - 9 + 1;
  }
  t.ok(dofs, 'dof: points - unknowns + 1');
  ratios.sort((a, b) => a - b);
  const median = ratios[ratios.length >> 1];
  t.ok(median > 0.3 && median < 3, `median actual / estimated ${median.toFixed(2)} (expected within 0.3..3)`);
});

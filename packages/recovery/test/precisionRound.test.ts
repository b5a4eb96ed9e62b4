import t from 'tap';
import { makeTolerances, solveCandidate, type TaskSpec } from '../src/index.js';
import { precisionRound } from '../src/plan/precisionRound.js';
import type { BoundaryPointsInput } from '../src/tasks/taskTypes.js';
import { boundaryFixture } from './fixtures/boundaryFixture.js';

const env = { inputDim: 6, outputDim: 1, direction: Float64Array.of(1) };

t.test('precisionRound - only neurons whose points leave the row loose get more points, as many as the estimate asks', async (t) => {
  const { known, points } = boundaryFixture(7);
  const tol = makeTolerances(1, 1);
  const nrs = [{ points: points(40, 0) }, { points: points(40, 1e-10) }, { points: points(40, 0) }];
  const sols = nrs.map((nr) => solveCandidate(known, nr.points, true));
  const asked: { tasks: TaskSpec[] }[] = [];
  const extra = points(30, 0);
  const out = await precisionRound(async (_phase, tasks) => {
    asked.push({ tasks });
    return tasks.map(() => ({ points: extra }));
  }, 2, env, tol, known, nrs, sols, {});
  t.equal(asked.length, 1, 'one phase');
  t.equal(asked[0].tasks.length, 1, 'one task: the noisy neuron only (exact points: estimate ~1e-16)');
  const input = asked[0].tasks[0].input as BoundaryPointsInput;
  t.equal(input.options.points, 48, 'noise 1e-10 is ~100x the target: as many points as allowed (48)');
  t.ok((input.options.centers?.length ?? 0) > 0, 'its own points as centres, for boundaries random segments rarely cross');
  t.equal(nrs[1].points.length, 70, 'the new points joined the neuron (the pooled system closes)');
  t.equal(nrs[0].points.length, 40, 'the others are untouched');
  t.equal(out[0], sols[0], 'and keep their solutions');
  // Nothing loose: no phase at all.
  let called = false;
  await precisionRound(async () => { called = true; return []; }, 2, env, tol, known, [nrs[0], nrs[2]], [sols[0], sols[2]], {});
  t.notOk(called, 'no phase when every row is pinned to the target');
});

import t from 'tap';
import { forward, generateNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import { createInlineDispatch, discoverFirstLayer, makeTolerances, TaskKind, type SurveyOutput, type TaskEnv } from '../src/index.js';

// Layer 1 of a target with the plan's phases (survey first, as recoverWithDispatch runs it), the
// phases named in order.
async function layerOne(architecture: number[], segmentBatch = 1) {
  const net = generateNetwork({ architecture, seed: 1, init: 'rk' });
  const phases: string[] = [];
  const dispatch = createInlineDispatch(async (x, rows) => forward(net, x, rows), { seed: 1, onPhase: (name) => phases.push(name) });
  const env: TaskEnv = { inputDim: architecture[0], outputDim: 1, direction: Float64Array.of(1) };
  const [survey] = (await dispatch.run('survey', [{ kind: TaskKind.survey, input: { env, domainScale: 1, samples: 8 } }])) as SurveyOutput[];
  const tol = makeTolerances(Math.max(...survey.ys.map((y) => Math.abs(y[0]))), 1, survey.noise);
  const l1 = await discoverFirstLayer({ dispatch, env, tol, rng: createRng(1).fork('layer1'), log: () => {} }, { segmentBatch });
  return { l1, phases };
}

t.test('kink check rule - one hidden layer: no open kink is deeper, so no batch is ever checked', async (t) => {
  const { l1, phases } = await layerOne([10, 20, 1]);
  t.equal(l1.planes.length, 20);
  t.equal(phases.filter((p) => p === 'layer 1: kink checks').length, 0);
});

t.test('kink check rule - deeper kinks dominate after the first batches: checked, and seeds told bent keep no normal', async (t) => {
  const { l1, phases } = await layerOne([10, 10, 10, 1]);
  t.equal(l1.planes.length, 10);
  const firstCheck = phases.indexOf('layer 1: kink checks');
  t.ok(firstCheck > phases.indexOf('layer 1: boundary normals'), 'the first batch runs unchecked (no outcomes yet)');
  t.ok(phases.filter((p) => p === 'layer 1: kink checks').length >= 10, 'most later batches are checked');
  const lazy = l1.unexplained.filter((s) => !s.normal.some((v) => v !== 0));
  t.ok(lazy.length > 0 && lazy.every((s) => s.crossing?.beside !== undefined), `${lazy.length} seeds without a normal, each with its crossing and a second boundary point`);
});

t.test('kink check rule - off for wider plans (waves hold back seeds by their normals)', async (t) => {
  const { phases } = await layerOne([10, 10, 10, 1], 8);
  t.equal(phases.filter((p) => p === 'layer 1: kink checks').length, 0);
});

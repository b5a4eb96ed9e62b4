import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { ExperimentSpecError, loadExperimentSpec, parseExperimentSpec } from '../src/index.js';

const good = { architectures: ['10-20-1', '2-4-1'], inits: ['rk', 'trained'], seeds: [1, 2] };

t.test('spec - a valid spec comes back frozen, architectures in canonical form', async (t) => {
  const spec = parseExperimentSpec({ ...good, architectures: ['010-20-1'], settings: [{ name: 'w4', workers: 4, budget: 1000, domainScale: 2, recoverySeed: 7 }], training: { epochs: 3 }, fidelitySamples: 0 });
  t.same(spec.architectures, ['10-20-1']);
  t.same(spec.settings, [{ name: 'w4', workers: 4, budget: 1000, domainScale: 2, recoverySeed: 7 }]);
  t.ok(Object.isFrozen(spec) && Object.isFrozen(spec.settings) && Object.isFrozen(spec.settings?.[0]));
});

t.test('spec - each bad field is named', async (t) => {
  const cases: [unknown, string, RegExp][] = [
    [[], '(root)', /must be a JSON object, got an array/],
    [{ inits: ['rk'], seeds: [1] }, 'architectures', /is missing/],
    [{ ...good, architectures: [] }, 'architectures', /non-empty array/],
    [{ ...good, architectures: ['10-x-1'] }, 'architectures[0]', /architecture must look like 10-20-1/],
    [{ ...good, architectures: [10] }, 'architectures[0]', /must be a string/],
    [{ ...good, inits: ['rk', 'xavier'] }, 'inits[1]', /must be one of rk, carlini, balanced, trained/],
    [{ ...good, seeds: [1, 1.5] }, 'seeds[1]', /must be an integer/],
    [{ ...good, seeds: [1, 1] }, 'seeds', /appears twice/],
    [{ ...good, settings: [{ name: 'a' }, { name: 'a' }] }, 'settings[].name', /appears twice/],
    [{ ...good, settings: [{ name: 'a/b' }] }, 'settings[0].name', /part of the cell id/],
    [{ ...good, settings: [{ name: 'a', wokers: 2 }] }, 'settings[0].wokers', /unknown field/],
    [{ ...good, settings: [{ name: 'a', workers: 0 }] }, 'settings[0].workers', /positive integer/],
    [{ ...good, settings: [{ name: 'a', budget: -1 }] }, 'settings[0].budget', /non-negative integer/],
    [{ ...good, settings: [{ name: 'a', domainScale: 0 }] }, 'settings[0].domainScale', /positive number/],
    [{ ...good, training: { epochs: -1 } }, 'training.epochs', /non-negative integer/],
    [{ ...good, fidelity: 3 }, 'fidelity', /unknown field/],
  ];
  for (const [doc, field, message] of cases) {
    t.throws(() => parseExperimentSpec(doc, 'spec.json'), { name: 'ExperimentSpecError', field, file: 'spec.json', message }, field);
  }
  const e = (() => {
    try {
      parseExperimentSpec({ ...good, inits: ['x'] }, 'spec.json');
    } catch (error) {
      return error;
    }
  })();
  t.ok(e instanceof ExperimentSpecError);
  t.match((e as Error).message, /^spec\.json: inits\[0\]: /);
});

t.test('spec - loading a file names it when it is missing or not JSON', async (t) => {
  const dir = t.testdir();
  await t.rejects(loadExperimentSpec(join(dir, 'none.json')), { name: 'ExperimentSpecError', field: '(file)' });
  await writeFile(join(dir, 'bad.json'), '{ nope');
  await t.rejects(loadExperimentSpec(join(dir, 'bad.json')), { name: 'ExperimentSpecError', field: '(root)', message: /bad\.json: \(root\): not valid JSON/ });
  await writeFile(join(dir, 'ok.json'), JSON.stringify(good));
  t.same((await loadExperimentSpec(join(dir, 'ok.json'))).seeds, [1, 2]);
});

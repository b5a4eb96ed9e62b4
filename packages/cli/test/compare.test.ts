import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { cli } from './fixtures/cli.js';
import { relurec, writeTarget } from './fixtures/relurec.js';

function generated(dir: string, name: string, arch = [6, 5, 4, 2], seed = 2): Promise<string> {
  return writeTarget(join(dir, name), arch, seed);
}

t.test('compare - a network against itself: architecture match, exact (Infinity bits as a JSON string)', async (t) => {
  const dir = t.testdir();
  const net = await generated(dir, 'net.json');
  const run = await relurec(['compare', net, net, '--json', '--samples', '2000']);
  t.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  t.equal(report.architectureMatch, true);
  t.equal(report.complete, true);
  t.same(report.truthArchitecture, [6, 5, 4, 2]);
  // maxError is exactly 0, so bits = -log2(0) = Infinity, written as the string "Infinity".
  t.equal(report.maxError, 0);
  t.equal(report.bits, 'Infinity');
  t.equal(report.fidelity.maxAbsError, 0);
  t.equal(report.fidelity.samples, 2000);

  const text = await cli(['compare', net, net, '--samples', '100']);
  t.equal(text.code, 0);
  t.match(text.stdout, /architecture\s+truth 6-5-4-2\s+recovered 6-5-4-2\s+match/);
  t.match(text.stdout, /max error\s+0\s+\(exact\)/);
});

t.test('compare - different networks still exit 0: the comparison is a report; NaN becomes null in JSON', async (t) => {
  const dir = t.testdir();
  const a = await generated(dir, 'a.json', [4, 3, 1], 1);
  const b = await generated(dir, 'b.json', [4, 5, 1], 2);
  const run = await cli(['compare', a, b, '--json', '--samples', '100']);
  t.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  t.equal(report.architectureMatch, false);
  t.equal(report.complete, false);
  t.ok(report.bits === null || typeof report.bits === 'number', 'bits is a number or null (NaN: nothing matched), never missing');
});

t.test('compare - a malformed model file exits 2 naming the file and the field', async (t) => {
  const dir = t.testdir();
  const good = await generated(dir, 'good.json', [3, 2, 1]);
  const bad = join(dir, 'bad.json');
  await writeFile(bad, JSON.stringify({ format: 'relu-net', version: 1, layers: [{ weights: [[1, 2], [3, 4]], biases: [0] }] }));
  const run = await relurec(['compare', good, bad]);
  t.equal(run.code, 2);
  t.match(run.stderr, /^relurec: .*bad\.json: layers\[0\]\.biases: /m);
  t.equal(run.stdout, '');

  const nan = join(dir, 'nan.json');
  await writeFile(nan, '{"format":"relu-net","version":1,"layers":[{"weights":[[1,"x"]],"biases":[0]}]}');
  const run2 = await cli(['compare', nan, good]);
  t.equal(run2.code, 2);
  t.match(run2.stderr, /nan\.json: layers\[0\]\.weights\[0\]\[1\]: not a finite number/);

  const missing = await cli(['compare', join(dir, 'nope.json'), good]);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /nope\.json: \(file\): cannot read file/);

  const notJson = join(dir, 'text.json');
  await writeFile(notJson, 'hello');
  const run3 = await cli(['compare', good, notJson]);
  t.equal(run3.code, 2);
  t.match(run3.stderr, /text\.json: \(root\): not valid JSON/);
});

t.test('compare - --unused-samples: 0 turns the unused-input search off; a negative count exits 2 naming the flag', async (t) => {
  const dir = t.testdir();
  const net = await generated(dir, 'net.json');
  const run = await cli(['compare', net, net, '--json', '--samples', '100', '--unused-samples', '0']);
  t.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  t.equal(report.options.unusedSamples, 0);
  t.equal(report.unusedWeights, 0);
  t.ok(report.layers.every((l: { unused: unknown[] }) => Array.isArray(l.unused)), 'every layer lists its unused weights');
  const bad = await cli(['compare', net, net, '--unused-samples', '-1']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /--unused-samples/);
});

// A 3-4-3-1 network whose layer-2 neuron 0 is on only where x0 < -0.1, where its input h0 = ReLU(x0)
// is off: its weight -c from h0 acts nowhere (the judge's unusedWeights test, as files).
const unusedWeightNet = (c: number) =>
  JSON.stringify({
    format: 'relu-net',
    version: 1,
    name: `unused-${c}`,
    meta: {},
    layers: [
      { weights: [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, 0, 1]], biases: [0, 0, 0, 0.1] },
      { weights: [[-c, 1, 0, 0], [1, 0, 1, 0], [0, -1, 0, 1]], biases: [-0.1, -0.2, 0.3] },
      { weights: [[1, 2, -1]], biases: [0.5] },
    ],
  });

t.test('compare - a weight no input shows is proved unused by the exact search; --no-exact-unused keeps the search verdict', async (t) => {
  const dir = t.testdir();
  const truth = join(dir, 'truth.json'), rec = join(dir, 'rec.json');
  await writeFile(truth, unusedWeightNet(0.5));
  await writeFile(rec, unusedWeightNet(0));
  const run = await cli(['compare', truth, rec, '--samples', '1000', '--unused-samples', '2000']);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /layer 2 unused weights \(true neuron <- input, left out\): 0<-0 \(all proved by MILP\)/);
  const json = await cli(['compare', truth, rec, '--json', '--samples', '1000', '--unused-samples', '2000', '--no-exact-unused']);
  t.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout);
  t.equal(report.options.exactUnused, false);
  t.same(report.layers[1].unused.map((u: { proved: boolean }) => u.proved), [false], 'left out on the search verdict alone');
});

import { join } from 'node:path';
import t from 'tap';
import { compareNetworks } from '@relurec/judge';
import { loadNetwork, saveNetwork } from '@relurec/network';
import { readOnnxFile } from '@relurec/onnx';
import { cli } from './fixtures/cli.js';
import { relurec, writeTarget } from './fixtures/relurec.js';

t.test('export - float64 ONNX reads back (importOnnx) as the same network, weight for weight', async (t) => {
  const dir = t.testdir();
  const net = join(dir, 'net.json'), onnx = join(dir, 'net.onnx'), back = join(dir, 'back.json');
  await writeTarget(net, [8, 6, 5, 3], 5);
  const run = await relurec(['export', net, '--onnx', onnx]);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /float64/);
  const original = await loadNetwork(net);
  const imported = await readOnnxFile(onnx);
  t.same(imported.layers.map((l) => Array.from(l.weights)), original.layers.map((l) => Array.from(l.weights)), 'weights bit-exact');
  t.same(imported.layers.map((l) => Array.from(l.biases)), original.layers.map((l) => Array.from(l.biases)), 'biases bit-exact');
  const report = compareNetworks(original, imported, { fidelitySamples: 1000 });
  t.equal(report.architectureMatch, true);
  t.equal(report.bits, Infinity);
  t.equal(imported.name, original.name, 'name travels in metadata');

  // And the CLI compare reads the imported network once written back as relu-net.
  await saveNetwork(back, imported);
  const cmp = await cli(['compare', net, back, '--json', '--samples', '100']);
  t.equal(cmp.code, 0, cmp.stderr);
  t.equal(JSON.parse(cmp.stdout).bits, 'Infinity');
});

t.test('export - float32 rounds the weights to about 24 bits', async (t) => {
  const dir = t.testdir();
  const net = join(dir, 'net.json'), onnx = join(dir, 'net32.onnx');
  await writeTarget(net, [4, 3, 1], 1);
  t.equal((await relurec(['export', net, '--onnx', onnx, '--dtype', 'float32'])).code, 0);
  const report = compareNetworks(await loadNetwork(net), await readOnnxFile(onnx), { fidelitySamples: 100 });
  t.equal(report.architectureMatch, true);
  // float32 relative rounding 2^-24 on O(1) canonical weights: between 20 and 40 bits.
  t.ok(report.bits > 20 && report.bits < 40, `bits ${report.bits}`);
});

t.test('export - a bad --dtype or a malformed network exits 2', async (t) => {
  const dir = t.testdir({ 'bad.json': '{"format":"relu-net","version":2,"layers":[]}' });
  const bad = await cli(['export', join(dir, 'bad.json'), '--onnx', join(dir, 'x.onnx')]);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /bad\.json: version: unsupported version 2/);
  const dtype = await cli(['export', join(dir, 'bad.json'), '--onnx', join(dir, 'x.onnx'), '--dtype', 'int8']);
  t.equal(dtype.code, 2);
  t.match(dtype.stderr, /dtype/);
});

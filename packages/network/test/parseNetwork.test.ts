import t, { type Test } from 'tap';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNetwork, NetworkFormatError, loadNetwork, saveNetwork, toDocument, generateNetwork } from '../src/index.js';

const good = () => ({
  format: 'relu-net', version: 1, name: 'tiny', meta: { a: 1 },
  layers: [
    { weights: [[1, 2], [3, 4], [5, 6]], biases: [0, 1, 2] },
    { weights: [[1, -1, 0.5]], biases: [0.25] },
  ],
});

function expectField(t: Test, doc: unknown, field: string, re: RegExp) {
  try {
    parseNetwork(doc, 'net.json');
    t.fail(`expected an error on ${field}`);
  } catch (e) {
    t.ok(e instanceof NetworkFormatError, 'NetworkFormatError');
    const err = e as NetworkFormatError;
    t.equal(err.field, field);
    t.equal(err.file, 'net.json');
    t.match(err.message, re);
    t.match(err.message, /^net\.json: /);
  }
}

t.test('parse - a valid network', async (t) => {
  const net = parseNetwork(good());
  t.equal(net.layers.length, 2);
  t.same(Array.from(net.layers[0].weights), [1, 2, 3, 4, 5, 6]);
  t.equal(net.layers[0].inDim, 2);
  t.equal(net.layers[1].inDim, 3);
  t.same(toDocument(net), good());
});

t.test('parse - every validation error names the field', async (t) => {
  expectField(t, [], '(root)', /JSON object/);
  expectField(t, { ...good(), format: 'onnx' }, 'format', /relu-net/);
  expectField(t, { ...good(), version: 2 }, 'version', /unsupported version 2/);
  expectField(t, { ...good(), layers: [] }, 'layers', /empty/);
  expectField(t, { ...good(), layers: 'x' }, 'layers', /array/);
  const ragged = good(); ragged.layers[0].weights[1] = [3];
  expectField(t, ragged, 'layers[0].weights[1]', /ragged row: 1 entries, expected 2/);
  const mismatch = good(); mismatch.layers[1].weights = [[1, 2]];
  expectField(t, mismatch, 'layers[1].weights', /shape mismatch: rows have 2 inputs but layers\[0\] has 3 outputs/);
  const nan = good(); (nan.layers[1].weights[0] as unknown[])[2] = null;
  expectField(t, nan, 'layers[1].weights[0][2]', /not a finite number: null/);
  const inf = good(); (inf.layers[0].biases as unknown[])[1] = 'Infinity';
  expectField(t, inf, 'layers[0].biases[1]', /not a finite number/);
  const biasCount = good(); biasCount.layers[0].biases = [1];
  expectField(t, biasCount, 'layers[0].biases', /has 1 entries, expected 3/);
  const noRows = good(); noRows.layers[0].weights = [];
  expectField(t, noRows, 'layers[0].weights', /zero rows/);
});

t.test('io - save and load round-trip exactly; bad files are named', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'relurec-net-'));
  const net = generateNetwork({ architecture: [7, 5, 3], seed: 4 });
  const file = join(dir, 'n.json');
  await saveNetwork(file, net);
  const back = await loadNetwork(file);
  t.same(Array.from(back.layers[1].weights), Array.from(net.layers[1].weights), 'bit-exact through JSON');
  t.same(back.meta, net.meta);
  const bad = join(dir, 'bad.json');
  await writeFile(bad, '{"format":');
  await t.rejects(loadNetwork(bad), { name: 'NetworkFormatError', file: bad, field: '(root)' });
  await t.rejects(loadNetwork(join(dir, 'missing.json')), { name: 'NetworkFormatError', field: '(file)' });
});

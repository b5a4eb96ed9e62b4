import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { generateNetwork } from '@relurec/network';
import { readOnnxFile, writeOnnxFile } from '../src/index.js';

t.test('onnxFile - write then read gives back the same network; only the model file is left', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'relurec-onnx-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const net = generateNetwork({ architecture: [10, 20, 20, 1], seed: 4 });
  const file = join(dir, 'net.onnx');
  await writeOnnxFile(file, net);
  const back = await readOnnxFile(file);
  t.same(back.layers.map((l) => [Array.from(l.weights), Array.from(l.biases)]), net.layers.map((l) => [Array.from(l.weights), Array.from(l.biases)]));
  t.same(await readdir(dir), ['net.onnx']);
});

t.test('onnxFile - missing and foreign files are OnnxModelErrors naming the file', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'relurec-onnx-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const missing = join(dir, 'nope.onnx');
  await t.rejects(readOnnxFile(missing), { name: 'OnnxModelError', file: missing, message: /cannot read file/ });
  const text = join(dir, 'net.json');
  await writeFile(text, '{"format":"relu-net","version":1,"layers":[]}\n');
  await t.rejects(readOnnxFile(text), { name: 'OnnxModelError', file: text, message: /not a valid ONNX model/ });
});

import { access } from 'node:fs/promises';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { compareNetworks } from '@relurec/judge';
import { loadNetwork } from '@relurec/network';
import { writeOnnxFile } from '@relurec/onnx';
import { cli } from './fixtures/cli.js';
import { relurec, serveOracle, writeTarget } from './fixtures/relurec.js';

/** ALGORITHM.md section 6: the recovery target is at least 36 bits (max aligned error <= 2^-36). */
const TARGET_BITS = 36;

async function target(t: Test, arch = [10, 10, 1], seed = 1): Promise<{ dir: string; net: string }> {
  const dir = t.testdir();
  return { dir, net: await writeTarget(join(dir, 'net.json'), arch, seed) };
}

/** The judge's bits (what `relurec compare` prints), computed in-process to spare a process per test. */
async function bitsOf(t: Test, truth: string, recovered: string): Promise<number> {
  const report = compareNetworks(await loadNetwork(truth), await loadNetwork(recovered), { fidelitySamples: 10_000 });
  t.ok(report.architectureMatch, 'architecture recovered');
  return report.bits;
}

t.test('recover --target - a 10-10-1 network comes back to >= 36 bits, with the run in meta', async (t) => {
  const { dir, net } = await target(t);
  const out = join(dir, 'rec.json');
  const run = await relurec(['recover', '--target', net, '--out', out, '--seed', '1']);
  t.equal(run.code, 0, 'exit 0: complete', { stdout: run.stdout, stderr: run.stderr });
  t.match(run.stdout, /recovered 10-10-1 .*COMPLETE/);
  t.match(run.stderr, /layer 1/, 'progress lines on stderr');
  const rec = await loadNetwork(out);
  t.match(rec.meta, {
    status: 'complete',
    queries: Number,
    seconds: Number,
    settings: { seed: 1, budget: null, domainScale: 1, source: `target ${net}` },
    warnings: Array,
    missing: [],
  });
  t.ok((rec.meta.queries as number) > 0);
  const bits = await bitsOf(t, net, out);
  t.ok(bits >= TARGET_BITS, `compare gives ${bits} bits (>= ${TARGET_BITS})`);
});

t.test('recover --json - prints the machine-readable report', async (t) => {
  const { dir, net } = await target(t);
  const out = join(dir, 'rec.json');
  const run = await relurec(['recover', '--target', net, '--out', out, '--json', '--workers', '3', '--tasks-per-thread', '2']);
  t.equal(run.code, 0, 'exit 0: complete', { stderr: run.stderr });
  const report = JSON.parse(run.stdout);
  t.match(report, { queries: Number, seconds: Number, architecture: [10, 10, 1], complete: true, layers: Array, warnings: Array, missing: [], out });
  t.equal(report.layers[0].width, 10);
  t.match((await loadNetwork(out)).meta, { settings: { workers: 3, tasksPerThread: 2 } }, '--workers and --tasks-per-thread are recorded');
  const bad = await relurec(['recover', '--target', net, '--out', join(dir, 'bad.json'), '--tasks-per-thread', '0']);
  t.equal(bad.code, 2, 'exit 2 for --tasks-per-thread 0');
  t.match(bad.stderr, /--tasks-per-thread/, bad.stderr);
});

t.test('recover --plan-width - a wide plan still recovers, and the width is recorded (the trace wave follows it)', async (t) => {
  const { dir, net } = await target(t);
  const out = join(dir, 'rec.json');
  const run = await relurec(['recover', '--target', net, '--out', out, '--json', '--workers', '2', '--plan-width', '4']);
  t.equal(run.code, 0, 'exit 0: complete', { stderr: run.stderr });
  t.match(JSON.parse(run.stdout), { architecture: [10, 10, 1], complete: true });
  t.match((await loadNetwork(out)).meta, { settings: { planWidth: 4, traceWave: 4 } }, '--plan-width is recorded');
  t.ok((await bitsOf(t, net, out)) >= TARGET_BITS, 'as precise as ever');
});

t.test('recover --budget 50 - exits 1, still writes a file, and reports the budget', async (t) => {
  const { dir, net } = await target(t);
  const out = join(dir, 'rec.json');
  const run = await relurec(['recover', '--target', net, '--out', out, '--budget', '50', '--json']);
  t.equal(run.code, 1, 'exit 1: incomplete', { stderr: run.stderr });
  const report = JSON.parse(run.stdout);
  t.equal(report.complete, false);
  t.match(report.budget, { limit: 50, exhausted: true });
  t.ok(report.queries <= 50, `queries ${report.queries} within the budget`);
  t.ok(report.missing.length > 0, 'says what is missing');
  await t.resolves(access(out), 'the file is written even though the run is incomplete');
  t.equal(report.out, out);
  const rec = await loadNetwork(out);
  t.match(rec.meta, { status: 'incomplete', settings: { budget: 50 } });
});

t.test('recover --budget 400 - stops mid-layer, writes what it learned with status incomplete, exits 1', async (t) => {
  const { dir, net } = await target(t);
  const out = join(dir, 'rec.json');
  const run = await relurec(['recover', '--target', net, '--out', out, '--budget', '400']);
  t.equal(run.code, 1, 'exit 1: incomplete', { stderr: run.stderr });
  t.match(run.stdout, /INCOMPLETE/);
  t.match(run.stdout, /budget 400 queries: \d+ used, EXHAUSTED/);
  const rec = await loadNetwork(out);
  t.match(rec.meta, { status: 'incomplete', settings: { budget: 400 }, missing: Array });
  t.ok((rec.meta.queries as number) <= 400, 'never above the budget');
  t.ok((rec.meta.missing as string[]).length > 0);
});

t.test('recover - the black box is exactly one of --target/--oracle/--onnx (else exit 2)', async (t) => {
  const { dir, net } = await target(t, [3, 2, 1]);
  const out = join(dir, 'rec.json');
  const two = await relurec(['recover', '--target', net, '--oracle', 'http://127.0.0.1:9', '--out', out]);
  t.equal(two.code, 2);
  t.match(two.stderr, /exactly one of --target, --oracle, --onnx \(got --target and --oracle\)/);
  const none = await cli(['recover', '--out', out]);
  t.equal(none.code, 2);
  t.match(none.stderr, /none was given/);
  await t.rejects(access(out), 'nothing written');
});

t.test('recover - an unreachable --nats server and --resume of an unknown run are bad input (exit 2)', async (t) => {
  const { dir, net } = await target(t, [3, 2, 1]);
  const out = join(dir, 'rec.json');
  const nats = await cli(['recover', '--target', net, '--out', out, '--nats', 'nats://127.0.0.1:1']);
  t.equal(nats.code, 2);
  t.match(nats.stderr, /cannot use the NATS server at nats:\/\/127\.0\.0\.1:1/);
  const resume = await cli(['recover', '--target', net, '--out', out, '--resume', 'run-1']);
  t.equal(resume.code, 2);
  t.match(resume.stderr, /--resume: no run 'run-1' in/);
  await t.rejects(access(out), 'nothing written');
});

t.test('recover - a malformed target exits 2 naming the file and field, before any query', async (t) => {
  const dir = t.testdir({ 'bad.json': '{"format":"relu-net","version":1,"layers":[{"weights":[[1,2],[3]],"biases":[0,0]}]}' });
  const run = await cli(['recover', '--target', join(dir, 'bad.json'), '--out', join(dir, 'rec.json')]);
  t.equal(run.code, 2);
  t.match(run.stderr, /bad\.json: layers\[0\]\.weights\[1\]: ragged row/);
});

t.test('recover --oracle - end to end against `oracle serve` over real HTTP', async (t) => {
  const { dir, net } = await target(t);
  const served = await serveOracle(t, ['--target', net, '--port', '0']);
  const out = join(dir, 'rec.json');
  const run = await relurec(['recover', '--oracle', served.url, '--oracle-header', 'Authorization: Bearer test-key', '--out', out, '--json']);
  t.equal(run.code, 0, 'exit 0: complete', { stderr: run.stderr });
  const report = JSON.parse(run.stdout);
  t.equal(report.complete, true);
  t.same(report.architecture, [10, 10, 1]);
  const rec = await loadNetwork(out);
  t.equal((rec.meta.settings as { source: string }).source, `oracle ${served.url}`);
  t.notMatch(JSON.stringify(rec.meta), /test-key/, 'the header (a secret) is not kept in meta');
  const bits = await bitsOf(t, net, out);
  t.ok(bits >= TARGET_BITS, `compare gives ${bits} bits through HTTP`);
  const stopped = await served.stop();
  t.equal(stopped.code, 0);
  t.match(stopped.stderr, new RegExp(`stopped after answering ${report.queries} queries`), 'the server answered exactly the counted queries');
});

t.test('recover --oracle - an unreachable oracle is bad input (exit 2), reported by URL', async (t) => {
  const dir = t.testdir();
  const run = await cli(['recover', '--oracle', 'http://127.0.0.1:1', '--out', join(dir, 'rec.json')]);
  t.equal(run.code, 2);
  t.match(run.stderr, /cannot use the oracle at http:\/\/127\.0\.0\.1:1/);
});

t.test('recover --onnx - recovers from an ONNX model through onnxruntime', async (t) => {
  const { dir, net } = await target(t);
  const onnx = join(dir, 'net.onnx');
  await writeOnnxFile(onnx, await loadNetwork(net));
  const out = join(dir, 'rec.json');
  const run = await relurec(['recover', '--onnx', onnx, '--out', out, '--json']);
  t.equal(run.code, 0, 'exit 0: complete', { stderr: run.stderr });
  t.equal(JSON.parse(run.stdout).complete, true);
  t.match((await loadNetwork(out)).meta, { settings: { source: `onnx ${onnx}` } });
  const bits = await bitsOf(t, net, out);
  t.ok(bits >= TARGET_BITS, `compare gives ${bits} bits through ONNX`);
});

t.test("recover --oracle - the server's own budget stops the run: exit 1, partial file, the budget named", async (t) => {
  const { dir, net } = await target(t);
  const served = await serveOracle(t, ['--target', net, '--port', '0', '--budget', '400']);
  const out = join(dir, 'rec.json');
  const run = await relurec(['recover', '--oracle', served.url, '--out', out, '--json']);
  t.equal(run.code, 1, 'exit 1: incomplete', { stderr: run.stderr });
  const report = JSON.parse(run.stdout);
  t.equal(report.complete, false);
  t.equal(report.budget, null, 'no --budget of our own');
  t.match(report.warnings.join('\n'), /budget of 400/);
  t.match((await loadNetwork(out)).meta, { status: 'incomplete' });
});

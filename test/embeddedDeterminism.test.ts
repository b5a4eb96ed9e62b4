import t from 'tap';
import { generateNetwork, toDocument } from '@relurec/network';
import { createNetworkOracle } from '@relurec/oracle';
import { PROTOCOL_VERSION, type RunRecord } from '@relurec/protocol';
import { recoverNetwork } from '@relurec/recovery';
import { runEmbedded } from '@relurec/embedded';

// The threads run compiled JS: without the test runner's hooks (tsx, tap) each starts in a fraction
// of the time and the runs are the same.
const THREAD_FLAGS: string[] = [];

const bytesOf = (layers: readonly { weights: Float64Array; biases: Float64Array }[]) => layers.flatMap((l) => [...l.weights, ...l.biases]);

// ALGORITHM.md section 8: per-task seeds, per-task caches and task-order merging make the result a
// function of the seed alone. Real piscina threads over the in-process bus, against the inline plan.
t.test('embedded - the same seed gives a bit-identical network and query count with 1, 2 and 4 worker threads', async (t) => {
  const net = generateNetwork({ architecture: [6, 8, 6, 1], seed: 2 });
  const oracle = createNetworkOracle(net);
  const inline = await recoverNetwork((x, rows) => oracle.query(x, rows), { inputDim: 6, outputDim: 1 }, { seed: 5 });
  t.ok(inline.complete, 'the inline run is complete');
  t.same(inline.architecture, [6, 8, 6, 1]);
  const model = new TextEncoder().encode(JSON.stringify(toDocument(net)));
  for (const workers of [1, 2, 4]) {
    const record: RunRecord = {
      v: PROTOCOL_VERSION, runId: `det-${workers}`, target: 'net', oracle: { kind: 'network', name: 'net', blob: 'net' },
      inputDim: 6, outputDim: 1, seed: 5, budget: null, settings: {}, createdAt: 0,
    };
    const { result, fragments } = await runEmbedded(record, {}, { workers, blobs: { net: model }, execArgv: THREAD_FLAGS });
    t.same(bytesOf(result.network.layers), bytesOf(inline.network.layers), `${workers} threads: the same network, bit for bit`);
    t.equal(result.queries, inline.queries, `${workers} threads: the same ${inline.queries} queries`);
    t.equal(fragments.duplicates + fragments.stale + fragments.foreign, 0, 'no fragment rejected');
  }
});

// A wide plan (issue 5): batched layer-1 segments and a window of overlapping trace phases. The
// width is a setting of the run, so the threads still change nothing.
t.test('embedded - a wide plan (planWidth 4) gives the inline network with 1 and 4 worker threads, and 2 threads x 3 tasks', async (t) => {
  const net = generateNetwork({ architecture: [6, 8, 6, 1], seed: 2 });
  const oracle = createNetworkOracle(net);
  const inline = await recoverNetwork((x, rows) => oracle.query(x, rows), { inputDim: 6, outputDim: 1 }, { seed: 5, planWidth: 4 });
  t.ok(inline.complete, 'the inline run is complete');
  t.same(inline.architecture, [6, 8, 6, 1]);
  const model = new TextEncoder().encode(JSON.stringify(toDocument(net)));
  // Tasks that share a thread interleave at every black-box call: still the same result.
  for (const [workers, tasksPerThread] of [[1, 1], [4, 1], [2, 3]]) {
    const record: RunRecord = {
      v: PROTOCOL_VERSION, runId: `wide-${workers}-${tasksPerThread}`, target: 'net', oracle: { kind: 'network', name: 'net', blob: 'net' },
      inputDim: 6, outputDim: 1, seed: 5, budget: null, settings: { planWidth: 4 }, createdAt: 0,
    };
    const { result } = await runEmbedded(record, { planWidth: 4 }, { workers, tasksPerThread, blobs: { net: model }, execArgv: THREAD_FLAGS });
    const how = `${workers} threads x ${tasksPerThread} tasks`;
    t.same(bytesOf(result.network.layers), bytesOf(inline.network.layers), `${how}: the same network, bit for bit`);
    t.equal(result.queries, inline.queries, `${how}: the same ${inline.queries} queries`);
  }
});

// Budget shares of overlapping phases count the phases in flight as spent, whichever have
// finished: a budget that stops the run mid-trace stops it at the same place with any threads.
t.test('embedded - a wide plan stopped by its budget stops at the same place with 1 and 4 worker threads', async (t) => {
  const net = generateNetwork({ architecture: [6, 8, 6, 1], seed: 2 });
  const model = new TextEncoder().encode(JSON.stringify(toDocument(net)));
  const outcomes = [];
  for (const workers of [1, 4]) {
    const record: RunRecord = {
      v: PROTOCOL_VERSION, runId: `wide-budget-${workers}`, target: 'net', oracle: { kind: 'network', name: 'net', blob: 'net' },
      inputDim: 6, outputDim: 1, seed: 5, budget: 3200, settings: { planWidth: 4 }, createdAt: 0,
    };
    const { result } = await runEmbedded(record, { planWidth: 4 }, { workers, blobs: { net: model }, execArgv: THREAD_FLAGS });
    outcomes.push(result);
  }
  const [a, b] = outcomes;
  t.ok(a.stopped?.budget, 'the budget stopped the run');
  t.ok(a.queries <= 3200, `within the budget (${a.queries} queries)`);
  t.same(bytesOf(b.network.layers), bytesOf(a.network.layers), 'the same network, bit for bit');
  t.equal(b.queries, a.queries, 'the same query count');
  t.same(b.missing, a.missing, 'the same missing parts');
});

t.test('embedded - the threads get the Node flags given (a flag Node does not know is refused before any task)', async (t) => {
  const record: RunRecord = {
    v: PROTOCOL_VERSION, runId: 'flags', target: 'net', oracle: { kind: 'network', name: 'net', blob: 'net' },
    inputDim: 6, outputDim: 1, seed: 5, budget: null, settings: {}, createdAt: 0,
  };
  await t.rejects(runEmbedded(record, {}, { workers: 1, execArgv: ['--no-such-flag'] }), { code: 'ERR_WORKER_INVALID_EXEC_ARGV' });
});

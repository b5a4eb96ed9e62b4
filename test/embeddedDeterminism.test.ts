import t from 'tap';
import { generateNetwork, toDocument } from '@relurec/network';
import { createNetworkOracle } from '@relurec/oracle';
import { PROTOCOL_VERSION, type RunRecord } from '@relurec/protocol';
import { recoverNetwork } from '@relurec/recovery';
import { runEmbedded } from '@relurec/embedded';

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
    const { result, fragments } = await runEmbedded(record, {}, { workers, blobs: { net: model } });
    t.same(bytesOf(result.network.layers), bytesOf(inline.network.layers), `${workers} threads: the same network, bit for bit`);
    t.equal(result.queries, inline.queries, `${workers} threads: the same ${inline.queries} queries`);
    t.equal(fragments.duplicates + fragments.stale + fragments.foreign, 0, 'no fragment rejected');
  }
});

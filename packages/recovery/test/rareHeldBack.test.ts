import t from 'tap';
import { denseLayer } from '@relurec/network';
import { createLayerSearch, type LayerNeuron, type Seed } from '../src/deeper/findDeeperLayer.js';

// The layer search's hold-back rule (rare-neuron searches, acceptInconclusive): a trace that closes
// only to ~1e-8 with nothing tested far away is held back, and accepted only when no other neuron is.
const known = [denseLayer(2, 2, Float64Array.of(1, 0, 0, 1), Float64Array.of(0, 0))];
const seed = (x: number): Seed => ({ point: Float64Array.of(x, 0.5), normal: Float64Array.of(1, 0) });
const neuron = (closure: number, hits: number, x: number): LayerNeuron => ({
  c: Float64Array.of(1, 0), lambda: new Float64Array(0), bias: -x, points: [Float64Array.of(x, 0.5)], seen: new Set([0, 1]), closure, pinning: 1e-3, hits: 1,
  fixedColumns: [], fixedStates: [], membership: { verdict: hits > 0 ? 'member' : 'inconclusive', hits, misses: 0, inconclusive: 0, worstOffset: 0 },
} as unknown as LayerNeuron);

t.test('createLayerSearch - an inexact untested trace is held back, then accepted when nothing better came', async (t) => {
  const search = createLayerSearch(known, 1, 2, { acceptInconclusive: true });
  search.apply(seed(0.3), { kind: 'neuron', neuron: neuron(6.8e-9, 0, 0.3), log: '' });
  t.equal(search.neurons.length, 0, 'not accepted yet');
  t.equal(search.held.length, 1, 'held back');
  search.settle();
  t.equal(search.neurons.length, 1, 'accepted at the end: no other neuron');
  t.equal(search.held.length, 0);
});

t.test('createLayerSearch - a held trace is dropped when the search accepts another neuron', async (t) => {
  const search = createLayerSearch(known, 1, 2, { acceptInconclusive: true });
  search.apply(seed(0.3), { kind: 'neuron', neuron: neuron(6.8e-9, 0, 0.3), log: '' });
  search.apply(seed(0.7), { kind: 'neuron', neuron: neuron(1e-15, 0, 0.7), log: '' });
  search.settle();
  t.equal(search.neurons.length, 1, 'only the exact one');
  t.equal(search.neurons[0].closure, 1e-15);
});

t.test('createLayerSearch - without acceptInconclusive, or with far-test evidence, nothing is held', async (t) => {
  const plain = createLayerSearch(known, 1, 2, {});
  plain.apply(seed(0.3), { kind: 'neuron', neuron: neuron(6.8e-9, 0, 0.3), log: '' });
  t.equal(plain.neurons.length, 1);
  const rare = createLayerSearch(known, 1, 2, { acceptInconclusive: true });
  rare.apply(seed(0.3), { kind: 'neuron', neuron: neuron(6.8e-9, 3, 0.3), log: '' });
  t.equal(rare.neurons.length, 1);
});

t.test('createLayerSearch - seed checks and reach only once a trace of the search was a deeper neuron', async (t) => {
  const search = createLayerSearch(known, 1, 2, {});
  t.equal(search.traceOptions().trace?.seedChecks, 0, 'seed checks off at first');
  t.equal(search.traceOptions().reach, false, 'reach off at first');
  search.apply(seed(0.3), { kind: 'confined', line: 'bent', log: '' });
  t.equal(search.traceOptions().trace?.seedChecks, undefined, 'on (the default) after a bent trace');
  t.equal(search.traceOptions().reach, undefined, 'reach on (the default) after a bent trace');
  const given = createLayerSearch(known, 1, 2, { trace: { seedChecks: 3 } });
  t.equal(given.traceOptions().trace?.seedChecks, 3, 'a given value stands');
});

// The fallback rule (last-layer rare rounds, confinedFallback): a trace rejected only for inputs that
// never switched, whose far test then found its boundary, is taken only when no other neuron is.
t.test('createLayerSearch - a confined fallback is taken when the search finds no other neuron', async (t) => {
  const search = createLayerSearch(known, 1, 2, { acceptInconclusive: true, confinedFallback: true });
  search.apply(seed(0.3), { kind: 'neuron', neuron: neuron(1e-15, 2, 0.3), log: '', fallback: true });
  search.apply(seed(0.7), { kind: 'neuron', neuron: neuron(1e-15, 4, 0.7), log: '', fallback: true });
  t.equal(search.neurons.length, 0, 'not accepted while the search goes on');
  search.settle();
  t.equal(search.neurons.length, 1, 'one taken at the end');
  t.equal(search.neurons[0].bias, -0.7, 'the one whose far test found its boundary most often');
});

t.test('createLayerSearch - a confined fallback is dropped when the search accepts another neuron', async (t) => {
  const search = createLayerSearch(known, 1, 2, { acceptInconclusive: true, confinedFallback: true });
  search.apply(seed(0.3), { kind: 'neuron', neuron: neuron(1e-15, 4, 0.3), log: '', fallback: true });
  search.apply(seed(0.7), { kind: 'neuron', neuron: neuron(1e-15, 4, 0.7), log: '' });
  search.settle();
  t.equal(search.neurons.length, 1, 'only the unconfined one');
  t.equal(search.neurons[0].bias, -0.7);
  const again = createLayerSearch(known, 1, 2, { acceptInconclusive: true, confinedFallback: true });
  again.apply(seed(0.3), { kind: 'neuron', neuron: neuron(1e-15, 4, 0.3), log: '', fallback: true });
  again.settle();
  again.settle();
  t.equal(again.neurons.length, 1, 'a second settle takes nothing more');
});

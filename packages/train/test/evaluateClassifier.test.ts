import t from 'tap';
import { denseLayer, type ReluNetwork } from '@relurec/network';
import { evaluateClassifier, type LabelledData } from '../src/index.js';

/** 1-1-2 network: h = relu(x), logits = [s h, -s h]. */
function constructed(s: number): ReluNetwork {
  return {
    name: 'constructed',
    meta: {},
    layers: [denseLayer(1, 1, Float64Array.of(1), Float64Array.of(0)), denseLayer(1, 2, Float64Array.of(s, -s), Float64Array.of(0, 0))],
  };
}
const data = (xs: number[], labels: number[]): LabelledData => ({
  inputs: Float64Array.from(xs),
  labels: Int32Array.from(labels),
  rows: xs.length,
  inputDim: 1,
  classes: 2,
});

t.test('evaluate - loss and accuracy of a constructed network match a hand computation', async (t) => {
  // x = 2, label 0: logits [2, -2], loss log(1 + e^-4), correct.
  // x = -1, label 1: h = 0, logits [0, 0], loss log 2, the tie goes to class 0 so it is wrong.
  const { loss, accuracy } = evaluateClassifier(constructed(1), data([2, -1], [0, 1]));
  const expected = (Math.log1p(Math.exp(-4)) + Math.LN2) / 2;
  t.ok(Math.abs(loss - expected) < 1e-15, `loss ${loss} vs ${expected} (tolerance 1e-15)`);
  t.equal(accuracy, 0.5);
});

t.test('evaluate - logits of +-2000 give a finite loss (softmax subtracts the max)', async (t) => {
  // logits [2000, -2000] with label 1: loss = 2000 + log(1 + e^-4000) + 2000 = 4000 exactly in float64.
  const { loss, accuracy } = evaluateClassifier(constructed(1000), data([2], [1]));
  t.equal(loss, 4000);
  t.equal(accuracy, 0);
});

t.test('evaluate - malformed data throws naming the field', async (t) => {
  t.throws(() => evaluateClassifier(constructed(1), data([1, 2], [0, 2])), { name: 'RangeError', message: /data\.labels\[1\]/ });
  t.throws(() => evaluateClassifier(constructed(1), { ...data([1], [0]), rows: 2 }), { name: 'RangeError', message: /data\.inputs has 1 values/ });
  t.throws(() => evaluateClassifier(constructed(1), data([NaN], [0])), { name: 'RangeError', message: /data\.inputs\[0\] must be finite/ });
  t.throws(() => evaluateClassifier(constructed(1), { ...data([1], [0]), labels: [0] as unknown as Int32Array }), {
    name: 'TypeError',
    message: /data\.labels must be an Int32Array/,
  });
});

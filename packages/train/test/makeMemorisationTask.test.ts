import t from 'tap';
import { makeMemorisationTask } from '../src/index.js';

t.test('memorisation task - shapes, label range and the default of 1000 samples', async (t) => {
  const task = makeMemorisationTask({ inputDim: 10, classes: 3, seed: 1 });
  t.equal(task.rows, 1000);
  t.equal(task.inputDim, 10);
  t.equal(task.classes, 3);
  t.equal(task.inputs.length, 10_000);
  t.ok(task.inputs instanceof Float64Array);
  t.ok(task.labels instanceof Int32Array);
  t.equal(task.labels.length, 1000);
  t.ok(task.labels.every((y) => y >= 0 && y < 3));
});

t.test('memorisation task - inputs are N(0, I) and labels uniform, within 4 sigma', async (t) => {
  const samples = 20_000, classes = 4;
  const { inputs, labels } = makeMemorisationTask({ samples, inputDim: 5, classes, seed: 3 });
  const n = inputs.length;
  let s = 0, s2 = 0;
  for (const v of inputs) { s += v; s2 += v * v; }
  const mean = s / n, variance = s2 / n - mean * mean;
  t.ok(Math.abs(mean) < 4 / Math.sqrt(n), `mean ${mean}`);
  t.ok(Math.abs(variance - 1) < 4 * Math.sqrt(2 / n), `variance ${variance}`);
  // Binomial(samples, 1/classes) count per class: sd = sqrt(samples p (1 - p)).
  const counts = new Array<number>(classes).fill(0);
  for (const y of labels) counts[y]++;
  const p = 1 / classes, sd = Math.sqrt(samples * p * (1 - p));
  for (const c of counts) t.ok(Math.abs(c - samples * p) < 4 * sd, `class count ${c}`);
});

t.test('memorisation task - deterministic in the seed; classes do not move the points', async (t) => {
  const a = makeMemorisationTask({ samples: 50, inputDim: 3, classes: 2, seed: 7 });
  const b = makeMemorisationTask({ samples: 50, inputDim: 3, classes: 2, seed: 7 });
  const c = makeMemorisationTask({ samples: 50, inputDim: 3, classes: 5, seed: 7 });
  const d = makeMemorisationTask({ samples: 50, inputDim: 3, classes: 2, seed: 8 });
  t.same(a.inputs, b.inputs);
  t.same(a.labels, b.labels);
  t.same(c.inputs, a.inputs);
  t.notSame(d.inputs, a.inputs);
});

t.test('memorisation task - bad options throw RangeErrors naming the option', async (t) => {
  t.throws(() => makeMemorisationTask({ samples: 0, inputDim: 2, classes: 2, seed: 1 }), { name: 'RangeError', message: /options\.samples/ });
  t.throws(() => makeMemorisationTask({ inputDim: 1.5, classes: 2, seed: 1 }), { name: 'RangeError', message: /options\.inputDim/ });
  t.throws(() => makeMemorisationTask({ inputDim: 2, classes: 1, seed: 1 }), { name: 'RangeError', message: /options\.classes/ });
  t.throws(() => makeMemorisationTask({ inputDim: 2, classes: 2, seed: NaN }), { name: 'RangeError', message: /options\.seed/ });
});

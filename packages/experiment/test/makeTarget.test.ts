import t from 'tap';
import { architecture, forward, generateNetwork } from '@relurec/network';
import { makeMemorisationTask, trainNetwork } from '@relurec/train';
import { expandCells, makeTarget } from '../src/index.js';

t.test('target - random inits are generateNetwork of the cell', async (t) => {
  const [cell] = expandCells({ architectures: ['3-4-2'], inits: ['carlini'], seeds: [7] });
  t.same(makeTarget(cell), generateNetwork({ architecture: [3, 4, 2], seed: 7, init: 'carlini' }));
});

t.test('target - a trained single-output target is the logit difference of a 2-class classifier', async (t) => {
  const [cell] = expandCells({ architectures: ['2-5-1'], inits: ['trained'], seeds: [3] });
  const net = makeTarget(cell, { samples: 60, epochs: 2 });
  t.same(architecture(net), [2, 5, 1]);
  t.equal(net.meta.init, 'trained');
  // The same training by hand: output = logit0 - logit1 (tolerance 1e-12: one subtraction of O(1) values).
  const data = makeMemorisationTask({ samples: 60, inputDim: 2, classes: 2, seed: 3 });
  const { network } = trainNetwork({ data, architecture: [2, 5, 2], seed: 3, epochs: 2 });
  const x = Float64Array.of(0.3, -1.2, 2, 0.5);
  const logits = forward(network, x, 2), y = forward(net, x, 2);
  for (let r = 0; r < 2; r++) t.ok(Math.abs(y[r] - (logits[2 * r] - logits[2 * r + 1])) <= 1e-12, `row ${r}`);
  const [wide] = expandCells({ architectures: ['2-4-3'], inits: ['trained'], seeds: [1] });
  t.same(architecture(makeTarget(wide, { samples: 30, epochs: 1 })), [2, 4, 3], 'three outputs: the classifier itself');
});

import t from 'tap';
import { cloneNetwork, denseLayer, generateNetwork } from '@relurec/network';
import { compareNetworks, formatComparison, DISPLAY_BITS_CAP } from '../src/index.js';

t.test('format - identical networks: match, exact bits, fidelity line', async (t) => {
  const net = generateNetwork({ architecture: [4, 5, 2], seed: 1 });
  const text = formatComparison(compareNetworks(net, cloneNetwork(net), { fidelitySamples: 100 }));
  const lines = text.split('\n');
  t.match(lines[0], /truth 4-5-2\s+recovered 4-5-2\s+match$/);
  t.match(lines[1], /^layer\s+kind\s+true\s+rec\s+matched\s+missing\s+extra\s+flipped\s+max\|dw\|\s+max\|db\|\s+bits$/);
  t.match(lines[2], /^\s+1\s+hidden\s+5\s+5\s+5\s+0\s+0\s+0\s+0\s+0\s+exact$/);
  t.match(lines[3], /^\s+2\s+output\s+2\s+2\s+2\s+0\s+0\s+-\s+0\s+0\s+exact$/);
  t.match(lines[4], /^max error\s+0\s+\(exact\)$/);
  t.match(lines[5], /^fidelity\s+max\|f-f\^\| 0 .*relative 0 .*\(100 inputs ~ N\(0, 1\^2 I\)\)$/);
  t.equal(lines.length, 6);
  t.notOk(text.endsWith('\n'));
});

t.test('format - errors, capped bits, rejected pairs, mismatch and missing fidelity', async (t) => {
  const net = generateNetwork({ architecture: [4, 5, 2], seed: 2 });
  const off = cloneNetwork(net);
  off.layers[1].biases[0] += 2 ** -20; // output bias: exactly 2^-20 -> 20.0 bits
  const text = formatComparison(compareNetworks(net, off, { fidelitySamples: 100 }));
  t.match(text, /max error\s+9\.54e-7\s+\(20\.0 bits\)$/m);
  // A zero output bias against 2^-(cap + 2): representable exactly, so bits = cap + 2 > cap.
  const zeroBias = cloneNetwork(net), tiny = cloneNetwork(net);
  zeroBias.layers[1].biases[0] = 0;
  tiny.layers[1].biases[0] = 2 ** -(DISPLAY_BITS_CAP + 2);
  const capped = compareNetworks(zeroBias, tiny, { fidelitySamples: 0 });
  t.equal(capped.bits, DISPLAY_BITS_CAP + 2);
  t.match(formatComparison(capped), new RegExp(`\\(>=${DISPLAY_BITS_CAP} bits\\)`));
  t.match(formatComparison(capped), /^fidelity\s+skipped$/m);

  const flipped = cloneNetwork(net);
  for (let j = 0; j < 4; j++) flipped.layers[0].weights[2 * 4 + j] *= -1;
  flipped.layers[0].biases[2] *= -1;
  const f = formatComparison(compareNetworks(net, flipped, { fidelitySamples: 100 }));
  t.match(f, /^layer 1 rejected \(true~recovered error\): 2~2 \d\.\d\de[-+]\d+ sign-flipped$/m);
  t.match(f, /INCOMPLETE$/m);

  const wide = { name: 'w', meta: {}, layers: [denseLayer(3, 5), denseLayer(5, 2)] };
  const m = formatComparison(compareNetworks(net, wide, { fidelitySamples: 100 }));
  t.match(m, /truth 4-5-2\s+recovered 3-5-2\s+MISMATCH/);
  t.match(m, /^fidelity\s+not computed: input or output dims differ$/m);
});

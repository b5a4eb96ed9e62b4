import t from 'tap';
import { sameModuloUnseen } from '../src/deeper/sameModuloUnseen.js';

const row = [0.5, -0.2, 0.1, 0.7, -0.4, 0.3];

t.test('sameModuloUnseen - equal on shared weights, up to scale and sign: the same neuron', async (t) => {
  const other = row.map((v, j) => (j === 2 ? 0.9 : -3 * v));
  t.ok(sameModuloUnseen({ row, bias: 0.2, unseen: [2] }, { row: other, bias: -0.6, unseen: [] }), 'weight 2 unseen in the first, scaled by -3');
  t.ok(sameModuloUnseen({ row: row.map((v, j) => (j === 4 ? 0 : v)), bias: 0.2, unseen: [4] }, { row: row.map((v, j) => (j === 1 ? 0 : v)), bias: 0.2, unseen: [1] }), 'different unseen weights in each');
});

t.test('sameModuloUnseen - a shared weight or the bias differs: different neurons', async (t) => {
  t.notOk(sameModuloUnseen({ row, bias: 0.2, unseen: [2] }, { row: row.map((v, j) => (j === 3 ? v + 1e-4 : v)), bias: 0.2, unseen: [] }), 'weight 3 off by 1e-4');
  t.notOk(sameModuloUnseen({ row, bias: 0.2, unseen: [] }, { row, bias: 0.2001, unseen: [] }), 'bias off');
});

t.test('sameModuloUnseen - fewer than half the weights shared: not decided, false', async (t) => {
  t.notOk(sameModuloUnseen({ row, bias: 0.2, unseen: [0, 1, 2] }, { row, bias: 0.2, unseen: [3] }), 'two shared weights of six');
});

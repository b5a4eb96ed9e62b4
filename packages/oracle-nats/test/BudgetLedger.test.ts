import t from 'tap';
import { BudgetLedger } from '../src/serve/internal/BudgetLedger.js';

t.test('BudgetLedger - plain requests are charged their rows, a crossing one refused whole', async (t) => {
  const ledger = new BudgetLedger(10, 60_000);
  t.same(ledger.charge(4), { ok: true });
  t.same(ledger.charge(7), { ok: false, used: 4, requested: 7 });
  t.same(ledger.charge(6), { ok: true });
  t.same(ledger.charge(1), { ok: false, used: 10, requested: 1 });
  t.equal(ledger.used, 10);
});

t.test('BudgetLedger - a split batch is charged whole on its first part; later parts draw on the reservation', async (t) => {
  const ledger = new BudgetLedger(10, 60_000);
  t.same(ledger.charge(4, { id: 'b', rows: 11 }), { ok: false, used: 0, requested: 11 }, 'refused whole before any part is answered');
  t.equal(ledger.used, 0);
  t.same(ledger.charge(4, { id: 'b', rows: 10 }), { ok: true });
  t.equal(ledger.used, 10, 'the whole batch is counted at once');
  t.same(ledger.charge(4, { id: 'b', rows: 6 }), { ok: true });
  t.same(ledger.charge(2, { id: 'b', rows: 2 }), { ok: true });
  t.equal(ledger.used, 10);
  t.same(ledger.charge(1), { ok: false, used: 10, requested: 1 });
});

t.test('BudgetLedger - a retried part finds no reservation left and is charged afresh (high, never low)', async (t) => {
  const ledger = new BudgetLedger(100, 60_000);
  ledger.charge(4, { id: 'b', rows: 6 });
  ledger.charge(2, { id: 'b', rows: 2 });
  t.equal(ledger.used, 6);
  t.same(ledger.charge(2, { id: 'b', rows: 2 }), { ok: true }, 'the last part again (its answer was lost)');
  t.equal(ledger.used, 8, 'evaluated twice, counted twice');
});

t.test('BudgetLedger - reservations of vanished clients are forgotten after the ttl; their rows stay counted', async (t) => {
  let now = 0;
  const ledger = new BudgetLedger(20, 1000, () => now);
  ledger.charge(5, { id: 'gone', rows: 10 });
  now = 2000;
  ledger.charge(1);
  t.equal(ledger.used, 11);
  t.same(ledger.charge(5, { id: 'gone', rows: 5 }), { ok: true }, 'a late part is charged afresh');
  t.equal(ledger.used, 16);
});

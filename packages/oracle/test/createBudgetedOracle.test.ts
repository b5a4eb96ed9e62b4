import t from 'tap';
import type { Oracle } from '../src/index.js';
import { OracleAnswerError, OracleError, QueryBudgetExceededError, createBudgetedOracle } from '../src/index.js';

/** A 3-in, 2-out box answering (sum, row index); records every batch it receives. */
function spyOracle(answer?: (rows: number) => Float64Array): Oracle & { batches: number[]; closed: number } {
  const spy = {
    inputDim: 3,
    outputDim: 2,
    batches: [] as number[],
    closed: 0,
    async query(inputs: Float64Array, rows: number): Promise<Float64Array> {
      spy.batches.push(rows);
      if (answer) return answer(rows);
      const out = new Float64Array(rows * 2);
      for (let r = 0; r < rows; r++) {
        out[2 * r] = inputs[3 * r] + inputs[3 * r + 1] + inputs[3 * r + 2];
        out[2 * r + 1] = r;
      }
      return out;
    },
    async close(): Promise<void> {
      spy.closed++;
    },
  };
  return spy;
}

t.test('budget - a batch that would cross the budget is refused whole and not counted', async (t) => {
  const inner = spyOracle();
  const oracle = createBudgetedOracle(inner, { budget: 10 });
  t.equal(oracle.budget, 10);
  t.same(Array.from(await oracle.query(Float64Array.of(1, 2, 3, 4, 5, 6), 2)), [6, 0, 15, 1]);
  t.equal(oracle.queries, 2);
  await oracle.query(new Float64Array(7 * 3), 7);
  t.equal(oracle.queries, 9);
  t.equal(oracle.remaining, 1);
  const err = await oracle.query(new Float64Array(2 * 3), 2).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(err instanceof QueryBudgetExceededError);
  t.ok(err instanceof OracleError, 'an OracleError subclass');
  t.match(err, { name: 'QueryBudgetExceededError', budget: 10, used: 9, requested: 2 });
  t.match((err as Error).message, /budget of 10/);
  t.same(inner.batches, [2, 7], 'the refused batch never reached the inner oracle');
  t.equal(oracle.queries, 9, 'nothing of the refused batch was counted');
  await oracle.query(new Float64Array(3), 1);
  t.equal(oracle.remaining, 0, 'the last row still fits');
});

t.test('budget - single-row queries stop at exactly the budget', async (t) => {
  const inner = spyOracle();
  const oracle = createBudgetedOracle(inner, { budget: 25 });
  let answered = 0;
  for (;;) {
    try {
      await oracle.query(Float64Array.of(answered, 0, 0), 1);
      answered++;
    } catch (err) {
      t.ok(err instanceof QueryBudgetExceededError);
      break;
    }
  }
  t.equal(answered, 25);
  t.equal(oracle.queries, 25);
  t.equal(inner.batches.length, 25);
  await t.rejects(oracle.query(new Float64Array(3), 1), { name: 'QueryBudgetExceededError', budget: 25, used: 25, requested: 1 });
  t.equal(oracle.queries, 25, 'the count never exceeds the budget');
});

t.test('budget - concurrent batches cannot jointly cross the budget', async (t) => {
  const oracle = createBudgetedOracle(spyOracle(), { budget: 5 });
  const results = await Promise.allSettled([1, 2, 3].map(() => oracle.query(new Float64Array(2 * 3), 2)));
  t.same(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected']);
  t.equal(oracle.queries, 4);
});

t.test('budget - counts only accepted rows: malformed and empty batches cost nothing', async (t) => {
  const inner = spyOracle();
  const oracle = createBudgetedOracle(inner);
  t.equal(oracle.budget, Infinity);
  t.equal(oracle.remaining, Infinity);
  await t.rejects(oracle.query(new Float64Array(5), 2), { name: 'RangeError', message: /rows \(2\) x inputDim \(3\)/ });
  await t.rejects(oracle.query(Float64Array.of(1, Infinity, 0), 1), RangeError);
  await oracle.query(new Float64Array(0), 0);
  t.equal(oracle.queries, 0);
  t.same(inner.batches, [0]);
  await oracle.query(new Float64Array(4 * 3), 4);
  t.equal(oracle.queries, 4);
  t.equal(oracle.remaining, Infinity);
});

t.test('budget - a NaN or Inf from the inner oracle is an OracleAnswerError naming the row', async (t) => {
  const nan = createBudgetedOracle(spyOracle(() => Float64Array.of(1, 2, 3, NaN)));
  await t.rejects(nan.query(new Float64Array(6), 2), {
    name: 'OracleAnswerError',
    row: 1,
    column: 1,
    message: 'answer row 1 holds a non-finite value (column 1: NaN)',
  });
  const inf = createBudgetedOracle(spyOracle(() => Float64Array.of(-Infinity, 0)));
  const err = await inf.query(new Float64Array(3), 1).catch((e: unknown) => e);
  t.ok(err instanceof OracleAnswerError);
  t.match(err, { row: 0, column: 0, value: -Infinity });
  const short = createBudgetedOracle(spyOracle(() => new Float64Array(3)));
  await t.rejects(short.query(new Float64Array(6), 2), {
    name: 'OracleAnswerError',
    row: 1,
    message: 'answer has 3 values, expected rows (2) x outputDim (2) = 4',
  });
  t.equal(nan.queries, 2, 'a batch the box evaluated stays counted even when its answer is bad');
});

t.test('budget - options are checked and close reaches the inner oracle', async (t) => {
  const inner = spyOracle();
  t.throws(() => createBudgetedOracle(inner, { budget: -1 }), { name: 'RangeError', message: /options\.budget/ });
  t.throws(() => createBudgetedOracle(inner, { budget: 2.5 }), { name: 'RangeError', message: /options\.budget/ });
  t.throws(() => createBudgetedOracle({} as Oracle), TypeError);
  const zero = createBudgetedOracle(inner, { budget: 0 });
  await t.rejects(zero.query(new Float64Array(3), 1), { name: 'QueryBudgetExceededError', budget: 0, used: 0, requested: 1 });
  await zero.close();
  t.equal(inner.closed, 1);
});

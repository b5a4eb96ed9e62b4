import t from 'tap';
import { decode, encode, MalformedMessageError } from '../src/index.js';
import { sampleFragment, sampleTask } from './fixtures/messages.js';

t.test('codec - a task round trips with Float64Arrays nested in its input', async (t) => {
  const task = sampleTask();
  const back = decode(encode(task)) as typeof task;
  t.same(back, task);
  const input = back.input as { cell: { lo: Float64Array }; steps: [number, number, Float64Array] };
  t.ok(input.cell.lo instanceof Float64Array, 'a Float64Array arrives as a Float64Array, not a number array');
  t.ok(input.steps[2] instanceof Float64Array);
  t.ok(Object.is(input.cell.lo[1], -0), 'the bits survive: -0 inside a typed array stays -0');
  t.equal(input.steps[2][0], Math.PI, 'float64 exactly (no float32 narrowing)');
});

t.test('codec - a fragment round trips with typed arrays in its output', async (t) => {
  const fragment = sampleFragment();
  const back = decode(encode(fragment)) as typeof fragment;
  t.same(back, fragment);
  const output = back.output as { points: Float64Array[]; labels: Int32Array };
  t.ok(output.points[0] instanceof Float64Array);
  t.equal(output.points[0]![0], 1e-300);
  t.equal(output.points[1]!.length, 0);
  t.ok(output.labels instanceof Int32Array);
});

t.test('codec - decoded typed arrays own their buffer (the message buffer may be reused)', async (t) => {
  const bytes = encode({ x: new Float64Array([1.5, 2.5]) });
  const back = decode(bytes) as { x: Float64Array };
  bytes.fill(0);
  t.same(Array.from(back.x), [1.5, 2.5]);
});

t.test('codec - undecodable bytes are a MalformedMessageError on field $ naming the subject', async (t) => {
  const good = encode({ a: 1 });
  const cases: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['trailing bytes', Uint8Array.from([...good, 0x01])],
    ['truncated', encode({ a: new Float64Array(4) }).subarray(0, 10)],
  ];
  for (const [name, bytes] of cases) {
    t.throws(() => decode(bytes, 'relurec.r1.tasks'), { name: 'MalformedMessageError', field: '$', subject: 'relurec.r1.tasks' }, name);
  }
  try {
    decode(new Uint8Array(0), 'relurec.r1.tasks');
  } catch (err) {
    t.ok(err instanceof MalformedMessageError);
    t.match((err as Error).message, /relurec\.r1\.tasks/);
  }
});

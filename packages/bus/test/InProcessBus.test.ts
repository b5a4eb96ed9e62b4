import { mkdtemp, readFile, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import t from 'tap';
import type { FragmentMessage } from '@relurec/protocol';
import { encode, Subject } from '@relurec/protocol';
import { InProcessBus } from '../src/index.js';
import { busContract } from './contract/busContract.js';
import { answer, makeRecord, makeStatus, makeTask } from './contract/messages.js';
import { sleep, waitFor } from './contract/waitFor.js';

busContract('InProcessBus', async (t) => {
  return async (options = {}) => {
    const bus = new InProcessBus(options);
    t.teardown(() => bus.close());
    return bus;
  };
});

async function tempDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'relurec-bus-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

t.test('InProcessBus - with dir, a restarted bus replays every fragment and keeps runs, statuses, blobs', async (t) => {
  const dir = await tempDir(t);
  const first = new InProcessBus({ dir });
  const served = first.serveTasks(async (task) => answer(task), { concurrency: 2 });
  await first.publishTasks([0, 1, 2, 3].map((i) => makeTask('run-p', i)));
  await first.putRun(makeRecord('run-p'));
  await first.putStatus(makeStatus('run-p', 4));
  await first.putBlob('run-p/net.json', new TextEncoder().encode('{"format":"relu-net"}'));
  const seen: string[] = [];
  first.subscribeFragments('run-p', (f) => seen.push(f.taskId));
  await waitFor(() => seen.length === 4, 'four fragments before the restart');
  await served.stop();
  await first.close();

  const second = new InProcessBus({ dir });
  t.teardown(() => second.close());
  const replayed: FragmentMessage[] = [];
  second.subscribeFragments('run-p', (f) => replayed.push(f));
  await waitFor(() => replayed.length === 4, 'the four fragments replayed');
  t.same(replayed.map((f) => f.taskId), seen, 'in the order they were published');
  t.ok((replayed[0]!.output as { y: unknown }).y instanceof Float64Array, 'typed arrays survive the file');
  t.same(await second.getRun('run-p'), makeRecord('run-p'));
  t.same(await second.getStatus('run-p'), makeStatus('run-p', 4));
  t.equal(new TextDecoder().decode(await second.getBlob('run-p/net.json')), '{"format":"relu-net"}');
  const statuses: string[] = [];
  second.watchStatus((s) => statuses.push(s.runId));
  await waitFor(() => statuses.length === 1, 'watchStatus lists the stored status');
  await second.publishFragment(answer(makeTask('run-p', 4)));
  await waitFor(() => replayed.length === 5, 'new fragments follow the replayed ones');
});

t.test('InProcessBus - with dir, each stage has its own log (merged/<run>.frames) and a restarted bus replays both', async (t) => {
  const dir = await tempDir(t);
  const first = new InProcessBus({ dir });
  await first.publishFragment(answer(makeTask('run-v', 0)));
  await first.publishFragment(answer(makeTask('run-v', 1)));
  await first.publishFragment(answer(makeTask('run-v', 1)), { stage: 'merged' });
  await first.close();
  const merged = await readFile(join(dir, 'merged', 'run-v.frames'));
  t.equal(merged.readUInt32BE(0), encode(answer(makeTask('run-v', 1))).length, 'one frame in the merged log');
  t.equal(merged.length, 4 + merged.readUInt32BE(0));

  const second = new InProcessBus({ dir });
  t.teardown(() => second.close());
  const raw: string[] = [];
  const replayed: string[] = [];
  let replayedAt = -1;
  second.subscribeFragments('run-v', (f) => raw.push(f.taskId));
  second.subscribeFragments('run-v', (f) => replayed.push(f.taskId), { stage: 'merged', onReplayed: () => (replayedAt = replayed.length) });
  await waitFor(() => raw.length === 2 && replayedAt === 1, 'both logs replayed');
  t.same(raw, ['00001.00000', '00001.00001']);
  t.same(replayed, ['00001.00001']);
  await second.publishFragment(answer(makeTask('run-v', 0)), { stage: 'merged' });
  await waitFor(() => replayed.length === 2, 'appending to the merged log goes on');
  await sleep(50);
  t.equal(raw.length, 2, 'the raw log is untouched');
});

t.test('InProcessBus - fragments are appended to fragments/<run>.frames as length-prefixed msgpack', async (t) => {
  const dir = await tempDir(t);
  const bus = new InProcessBus({ dir });
  await bus.publishFragment(answer(makeTask('run-q', 0)));
  await bus.publishFragment(answer(makeTask('run-q', 1)));
  await bus.close();
  const bytes = await readFile(join(dir, 'fragments', 'run-q.frames'));
  const first = bytes.readUInt32BE(0);
  t.equal(first, encode(answer(makeTask('run-q', 0))).length, 'a 4-byte big-endian length, then the message');
  t.equal(bytes.length, 8 + first + encode(answer(makeTask('run-q', 1))).length);
});

t.test('InProcessBus - a torn last frame (a crash mid-append) is cut off and appending goes on', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'fragments', 'run-r.frames');
  const bus = new InProcessBus({ dir });
  await bus.publishFragment(answer(makeTask('run-r', 0)));
  await bus.publishFragment(answer(makeTask('run-r', 1)));
  await bus.close();
  await truncate(file, (await stat(file)).size - 5);

  const again = new InProcessBus({ dir });
  t.teardown(() => again.close());
  const seen: string[] = [];
  again.subscribeFragments('run-r', (f) => seen.push(f.taskId));
  await waitFor(() => seen.length === 1, 'the whole frame');
  await again.publishFragment(answer(makeTask('run-r', 2)));
  await waitFor(() => seen.length === 2, 'the new frame');
  t.same(seen, ['00001.00000', '00001.00002']);
  await again.close();
  const third = new InProcessBus({ dir });
  t.teardown(() => third.close());
  const replay: string[] = [];
  third.subscribeFragments('run-r', (f) => replay.push(f.taskId));
  await waitFor(() => replay.length === 2, 'a clean log after the repair');
  await sleep(50);
  t.same(replay, ['00001.00000', '00001.00002']);
  t.equal(third.rejected, 0);
});

t.test('InProcessBus - a malformed frame on disk is rejected on replay, the rest is handed on', async (t) => {
  const dir = await tempDir(t);
  const bus = new InProcessBus({ dir });
  await bus.publishRaw(Subject.fragments('run-s'), Uint8Array.of(1, 2, 3));
  await bus.publishFragment(answer(makeTask('run-s', 0)));
  await bus.close();
  const again = new InProcessBus({ dir });
  t.teardown(() => again.close());
  const seen: string[] = [];
  again.subscribeFragments('run-s', (f) => seen.push(f.taskId));
  await waitFor(() => seen.length === 1 && again.rejected === 1, 'one fragment, one rejection');
  t.same(seen, ['00001.00000']);
});

t.test('InProcessBus - a malformed stored status makes getStatus throw and is counted', async (t) => {
  const dir = await tempDir(t);
  const bus = new InProcessBus({ dir });
  t.teardown(() => bus.close());
  await bus.putStatus(makeStatus('run-t', 1));
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(dir, 'status', 'run-t'), encode({ ...makeStatus('run-t', 1), layer: -1 }));
  await t.rejects(bus.getStatus('run-t'), { name: 'MalformedMessageError', field: 'layer', subject: '$KV.relurec-status.run-t' });
  t.equal(bus.rejected, 1);
});

t.test('InProcessBus - options are checked and errors name them', async (t) => {
  t.throws(() => new InProcessBus({ maxDeliver: 0 }), { name: 'RangeError', message: /options\.maxDeliver must be an integer >= 1 \(got 0\)/ });
  t.throws(() => new InProcessBus({ retryDelayMs: -1 }), { message: /options\.retryDelayMs/ });
  t.throws(() => new InProcessBus({ dir: '' }), { name: 'TypeError', message: /options\.dir must be a non-empty string/ });
  const bus = new InProcessBus();
  t.teardown(() => bus.close());
  t.throws(() => bus.serveTasks(async (task) => answer(task), { concurrency: 0 }), { message: /options\.concurrency must be an integer >= 1/ });
  t.throws(() => bus.serveTasks(async (task) => answer(task), { concurrency: 1, runId: 'a.b' }), { message: /options\.runId must match/ });
  t.throws(() => bus.subscribeFragments('*', () => undefined), { name: 'RangeError' });
  await t.rejects(bus.publishRaw('foo.bar', new Uint8Array(1)), { name: 'RangeError', message: /not a subject this bus carries/ });
  await t.rejects(bus.putBlob('', new Uint8Array(1)), { name: 'TypeError', message: /blob name/ });
});

t.test('InProcessBus - a handler returning another task\'s fragment counts as a failed attempt', async (t) => {
  const bus = new InProcessBus({ maxDeliver: 2, retryDelayMs: 10 });
  t.teardown(() => bus.close());
  const fragments: FragmentMessage[] = [];
  bus.subscribeFragments('run-u', (f) => fragments.push(f));
  bus.serveTasks(async (task) => answer({ ...task, taskId: '00009.00009' }), { concurrency: 1 });
  await bus.publishTasks([makeTask('run-u', 0)]);
  await waitFor(() => fragments.length === 1, 'the failure fragment');
  t.equal(fragments[0]!.taskId, '00001.00000');
  t.equal(fragments[0]!.failure?.name, 'TypeError');
  t.match(fragments[0]!.failure?.message, /handler returned a fragment for run run-u task 00009\.00009/);
});

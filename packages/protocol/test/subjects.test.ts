import t from 'tap';
import { FragmentStage, KvBucket, MsgId, ObjectStoreName, parseSubject, StreamName, Subject } from '../src/index.js';

t.test('subjects - read like paths', async (t) => {
  t.equal(Subject.tasks('r1'), 'relurec.r1.tasks');
  t.equal(Subject.fragments('r1'), 'relurec.r1.fragments');
  t.equal(Subject.events('r1'), 'relurec.r1.events');
  t.equal(Subject.events(''), 'relurec.cluster.events');
  t.equal(Subject.heartbeat, 'relurec.workers.heartbeat');
  t.equal(Subject.oracleQuery, 'relurec.oracle.query');
  t.equal(Subject.allTasks, 'relurec.*.tasks');
  t.equal(StreamName.tasks, 'RELUREC_TASKS');
  t.equal(StreamName.fragments, 'RELUREC_FRAGMENTS');
  t.equal(KvBucket.runs, 'relurec-runs');
  t.equal(KvBucket.status, 'relurec-status');
  t.equal(ObjectStoreName.models, 'relurec-models');
  t.equal(MsgId.task('r1', '00001.00002'), 'r1/00001.00002');
  t.equal(MsgId.fragment('r1', '00001.00002'), 'r1/00001.00002/fragment');
});

t.test('subjects - the merged stage: its own subject and msg id, on the fragments stream', async (t) => {
  t.equal(Subject.merged('r1'), 'relurec.r1.merged');
  t.equal(Subject.allMerged, 'relurec.*.merged');
  t.equal(Subject.allFragments, 'relurec.*.fragments');
  t.equal(MsgId.merged('r1', '00001.00002'), 'r1/00001.00002/merged');
  t.not(MsgId.merged('r1', '00001.00002'), MsgId.fragment('r1', '00001.00002'), 'a merged copy is not a duplicate of its raw fragment');
  t.same(FragmentStage, { raw: 'raw', merged: 'merged' });
  t.throws(() => Subject.merged('a.b'), RangeError);
  t.throws(() => Subject.merged('cluster'), { message: /reserved/ });
  t.same(parseSubject('relurec.r1.merged'), { kind: 'merged', runId: 'r1' });
  t.equal(parseSubject('relurec.*.merged'), undefined);
});

t.test('subjects - a runId that would cross runs is refused', async (t) => {
  t.throws(() => Subject.tasks('a.b'), { name: 'RangeError', message: /runId must match/ });
  t.throws(() => Subject.fragments('*'), RangeError);
  t.throws(() => Subject.tasks('workers'), { message: /reserved/ });
});

t.test('subjects - parseSubject takes concrete subjects apart', async (t) => {
  t.same(parseSubject('relurec.r1.tasks'), { kind: 'tasks', runId: 'r1' });
  t.same(parseSubject('relurec.r1.fragments'), { kind: 'fragments', runId: 'r1' });
  t.same(parseSubject('relurec.cluster.events'), { kind: 'events', runId: '' });
  t.same(parseSubject('relurec.workers.heartbeat'), { kind: 'heartbeat', runId: '' });
  t.same(parseSubject('relurec.oracle.query'), { kind: 'oracleQuery', runId: '' });
  t.equal(parseSubject('relurec.*.tasks'), undefined);
  t.equal(parseSubject('foo.r1.tasks'), undefined);
  t.equal(parseSubject('relurec.r1.other'), undefined);
});

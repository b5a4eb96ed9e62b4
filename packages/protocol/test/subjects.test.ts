import t from 'tap';
import { KvBucket, MsgId, ObjectStoreName, parseSubject, StreamName, Subject } from '../src/index.js';

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

import t from 'tap';
import {
  decodeFragmentMessage,
  decodeHeartbeat,
  decodeRunEvent,
  decodeRunRecord,
  decodeRunStatus,
  decodeTaskMessage,
  encode,
} from '../src/index.js';
import { sampleEvent, sampleFailure, sampleFragment, sampleHeartbeat, sampleRecord, sampleStatus, sampleTask } from './fixtures/messages.js';

const pairs = [
  ['decodeTaskMessage', decodeTaskMessage, sampleTask()],
  ['decodeFragmentMessage', decodeFragmentMessage, sampleFragment()],
  ['decodeFragmentMessage (failure)', decodeFragmentMessage, sampleFailure()],
  ['decodeHeartbeat', decodeHeartbeat, sampleHeartbeat()],
  ['decodeRunEvent', decodeRunEvent, sampleEvent()],
  ['decodeRunStatus', decodeRunStatus, sampleStatus()],
  ['decodeRunRecord', decodeRunRecord, sampleRecord()],
] as const;

t.test('decoders - each message type round trips through encode and decodeX', async (t) => {
  for (const [name, decodeX, message] of pairs) {
    t.same((decodeX as (b: Uint8Array, s?: string) => unknown)(encode(message), 'relurec.run-1.x'), message, name);
  }
});

t.test('decoders - bad bytes and a message of the wrong type are rejected with the subject', async (t) => {
  t.throws(() => decodeTaskMessage(Uint8Array.of(0xc1, 0x00), 'relurec.run-1.tasks'), {
    name: 'MalformedMessageError',
    subject: 'relurec.run-1.tasks',
  });
  t.throws(() => decodeTaskMessage(encode(sampleFragment()), 'relurec.run-1.tasks'), {
    name: 'MalformedMessageError',
    message: /malformed TaskMessage on relurec\.run-1\.tasks/,
  });
  t.throws(() => decodeFragmentMessage(encode({ ...sampleFragment(), v: 2 }), 'relurec.run-1.fragments'), {
    field: 'v',
    message: /v must be 1/,
  });
});

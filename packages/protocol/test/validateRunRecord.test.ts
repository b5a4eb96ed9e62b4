import t from 'tap';
import { validateOracleSpec, validateRunRecord } from '../src/index.js';
import { sampleRecord } from './fixtures/messages.js';
import { DELETE, expectRejections } from './fixtures/rejects.js';

t.test('validateRunRecord - a record passes with each kind of oracle', async (t) => {
  t.ok(validateRunRecord(sampleRecord()));
  for (const oracle of [
    { kind: 'network', name: 'net.json', blob: 'run-1/net.json' },
    { kind: 'onnx', file: '/models/m.onnx' },
    { kind: 'service' },
  ]) {
    t.ok(validateRunRecord({ ...sampleRecord(), oracle }), oracle.kind);
  }
  t.ok(validateOracleSpec({ kind: 'service' }));
});

t.test('validateRunRecord - each bad field is rejected by name', async (t) => {
  expectRejections(t, validateRunRecord, sampleRecord(), [
    ['v', DELETE],
    ['runId', 'x.y'],
    ['target', 1],
    ['oracle', { kind: 'ftp' }, 'oracle.kind'],
    ['oracle.url', ''],
    ['oracle.headers', 'x'],
    ['oracle.headers[0].name', ''],
    ['oracle.headers[0].value', 3],
    ['oracle.extra', 1],
    ['inputDim', 0],
    ['outputDim', 2.5],
    ['seed', 1.5],
    ['budget', -1],
    ['settings', []],
    ['settings.domain', NaN],
    ['settings.scales', new Float64Array([Infinity]), 'settings.scales[0]'],
    ['createdAt', 'now'],
  ]);
  expectRejections(t, validateRunRecord, { ...sampleRecord(), oracle: { kind: 'network', name: 'n', blob: 'b' } }, [
    ['oracle.name', ''],
    ['oracle.blob', DELETE],
  ]);
});

import t from 'tap';

t.test('index - the export list of @relurec/cli', async (t) => {
  t.same(Object.keys(await import('../src/index.js')).sort(), [
    'CliUsageError',
    'ExitCode',
    'RecoveryStatus',
    'compareConfig',
    'demoConfig',
    'exportConfig',
    'generateConfig',
    'oracleServeConfig',
    'processIo',
    'recover',
    'recoverConfig',
    'runCli',
    'runCompare',
    'runDemo',
    'runExport',
    'runGenerate',
    'runOracleServe',
    'runRecover',
    'runTrain',
    'startOracle',
    'trainConfig',
  ]);
});

t.test('index - configs are frozen all the way down', async (t) => {
  const { recoverConfig } = await import('../src/index.js');
  const config = recoverConfig({ oracle: 'http://127.0.0.1:1', 'oracle-header': ['A: b'], out: 'r.json', seed: 1, 'domain-scale': 1 });
  t.ok(Object.isFrozen(config));
  t.ok(Object.isFrozen(config.source));
  t.same(config.source, { kind: 'oracle', url: 'http://127.0.0.1:1', headers: [{ name: 'A', value: 'b' }] });
  t.equal(config.budget, undefined);
});

import t from 'tap';

t.test('index - the export list of @relurec/oracle-nats', async (t) => {
  t.same(Object.keys(await import('../src/index.js')).sort(), [
    'MAX_ROWS_PER_REQUEST',
    'ORACLE_QUEUE',
    'connectNatsOracle',
    'oracleSubjects',
    'serveOracleOverNats',
    'validateQueryRequest',
  ]);
});

import t from 'tap';

t.test('index - the export list of @relurec/oracle', async (t) => {
  t.same(Object.keys(await import('../src/index.js')).sort(), [
    'OracleAnswerError',
    'OracleClosedError',
    'OracleError',
    'OracleRequestError',
    'QueryBudgetExceededError',
    'RequestFailure',
    'assertAnswerShape',
    'assertFiniteOutputs',
    'assertQueryInputs',
    'connectHttpOracle',
    'createBudgetedOracle',
    'createNetworkOracle',
    'createOracleServer',
    'parseHeaderOption',
  ]);
});

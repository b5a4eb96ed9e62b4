import t from 'tap';

t.test('index - the export list of @relurec/dashboard', async (t) => {
  t.same(Object.keys(await import('../src/index.js')).sort(), [
    'Dashboard',
    'DashboardModel',
    'EtaBasis',
    'EventLog',
    'LogSource',
    'RunsPanel',
    'WorkerStatus',
    'WorkersTable',
    'formatDuration',
    'formatStatusLine',
    'runDashboard',
  ]);
});

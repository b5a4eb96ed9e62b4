export { DashboardModel, EtaBasis, LogSource, WorkerStatus } from './model/index.js';
export type { DashboardModelOptions, DashboardSnapshot, LogEntry, RunView, WorkerTotals, WorkerView } from './model/index.js';
export { formatDuration, formatStatusLine } from './format/index.js';
export { Dashboard, EventLog, RunsPanel, WorkersTable } from './view/index.js';
export type { DashboardProps, EventLogProps, RunsPanelProps, WorkersTableProps } from './view/index.js';
export { runDashboard } from './runDashboard.js';
export type { DashboardBus, DashboardHandle, RunDashboardOptions } from './runDashboard.js';

export { Dashboard } from './Dashboard.js';
export type { DashboardProps } from './Dashboard.js';
export { EventLog } from './EventLog.js';
export type { EventLogProps } from './EventLog.js';
export { RunsPanel } from './RunsPanel.js';
export type { RunsPanelProps } from './RunsPanel.js';
export { WorkersTable } from './WorkersTable.js';
export type { WorkersTableProps } from './WorkersTable.js';

export { DashboardModel } from './DashboardModel.js';
export type { DashboardModelOptions } from './DashboardModel.js';
export { EtaBasis, LogSource, WorkerStatus } from './DashboardSnapshot.js';
export type { DashboardSnapshot, LogEntry, RunView, WorkerTotals, WorkerView } from './DashboardSnapshot.js';

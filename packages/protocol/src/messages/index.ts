export { PROTOCOL_VERSION } from './TaskMessage.js';
export type { FragmentMessage, TaskFailure, TaskMessage } from './TaskMessage.js';
export { WorkerState } from './Heartbeat.js';
export type { Heartbeat } from './Heartbeat.js';
export { RunState } from './RunStatus.js';
export type { RunStatus } from './RunStatus.js';
export { EventLevel } from './RunEvent.js';
export type { RunEvent } from './RunEvent.js';
export type { OracleSpec, RunRecord } from './RunRecord.js';

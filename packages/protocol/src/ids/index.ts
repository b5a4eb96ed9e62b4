export { assertRunId, isRunId, RESERVED_RUN_IDS, RUN_ID_PATTERN } from './runId.js';
export { formatTaskId, isTaskId, TASK_ID_PATTERN } from './taskId.js';

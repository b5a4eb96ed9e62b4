export { validateFragmentMessage } from './validateFragmentMessage.js';
export { validateHeartbeat } from './validateHeartbeat.js';
export { validateOracleSpec } from './validateOracleSpec.js';
export { validateRunEvent } from './validateRunEvent.js';
export { validateRunRecord } from './validateRunRecord.js';
export { validateRunStatus } from './validateRunStatus.js';
export { validateTaskMessage } from './validateTaskMessage.js';

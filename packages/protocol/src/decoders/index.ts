export { decodeFragmentMessage } from './decodeFragmentMessage.js';
export { decodeHeartbeat } from './decodeHeartbeat.js';
export { decodeRunEvent } from './decodeRunEvent.js';
export { decodeRunRecord } from './decodeRunRecord.js';
export { decodeRunStatus } from './decodeRunStatus.js';
export { decodeTaskMessage } from './decodeTaskMessage.js';

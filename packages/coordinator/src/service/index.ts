export { recoverySettings, startCoordinatorService } from './startCoordinatorService.js';
export type { CoordinatorService, CoordinatorServiceOptions } from './startCoordinatorService.js';
export { followRun, submitRun } from './submitRun.js';
export { resultBlobName } from './runResult.js';
export type { StoredResult } from './runResult.js';

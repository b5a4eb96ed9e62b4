export { makeMemorisationTask } from './makeMemorisationTask.js';
export type { MemorisationTask, MemorisationTaskOptions } from './makeMemorisationTask.js';
export type { LabelledData } from './LabelledData.js';

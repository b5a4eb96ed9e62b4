export { MalformedMessageError } from './MalformedMessageError.js';
export type { MalformedMessageErrorFields } from './MalformedMessageError.js';
export { TaskFailedError } from './TaskFailedError.js';

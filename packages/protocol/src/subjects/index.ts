export { FragmentStage } from './FragmentStage.js';
export { KvBucket } from './KvBucket.js';
export { MsgId } from './MsgId.js';
export { ObjectStoreName } from './ObjectStoreName.js';
export { parseSubject, SubjectKind } from './parseSubject.js';
export type { ParsedSubject } from './parseSubject.js';
export { StreamName } from './StreamName.js';
export { Subject } from './Subject.js';

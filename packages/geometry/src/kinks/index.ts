export { findKinks } from './findKinks.js';
export type { Kink, KinkSearchOptions, KinkSearchResult } from './findKinks.js';
export { pointOnSegment, segmentBetween } from './Segment.js';
export type { Segment } from './Segment.js';

export { collectFragments } from './collectFragments.js';
export type { CollectorOptions, FragmentCollector, FragmentStats } from './collectFragments.js';
export { startMergerService } from './startMergerService.js';
export type { MergerService, MergerServiceOptions, MergeStats } from './startMergerService.js';

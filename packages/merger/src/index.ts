export { collectFragments } from './collectFragments.js';
export type { CollectorOptions, FragmentCollector, FragmentStats } from './collectFragments.js';

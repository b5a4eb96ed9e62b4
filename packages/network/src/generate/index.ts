export { generateNetwork, Init } from './generateNetwork.js';
export type { GenerateOptions } from './generateNetwork.js';
export { setActivity } from './setActivity.js';
export type { ActivityTarget, SetActivityOptions } from './setActivity.js';

export type { Bus, FragmentStageOptions, PrepareTopologyOptions, ServeTasksOptions, SubscribeFragmentsOptions, Subscription } from './Bus.js';
export * from './errors/index.js';
export * from './inprocess/index.js';
export * from './io/nats/index.js';

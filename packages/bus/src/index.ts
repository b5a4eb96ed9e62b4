export type { Bus, ServeTasksOptions, Subscription } from './Bus.js';

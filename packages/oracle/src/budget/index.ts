export { createBudgetedOracle } from './createBudgetedOracle.js';
export type { BudgetOptions, CountingOracle } from './createBudgetedOracle.js';

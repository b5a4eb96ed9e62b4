export { measureFidelity } from './measureFidelity.js';
export type { FidelityOptions, FidelityReport } from './measureFidelity.js';

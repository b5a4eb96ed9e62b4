export { formatBits, formatReport, TARGET_BITS } from './formatReport.js';
export { reportCharts } from './reportCharts.js';
export type { ReportCharts } from './reportCharts.js';
export { ReportFiles } from './reportFiles.js';

/** Files writeReport writes into the experiment folder. */
export const ReportFiles = {
  markdown: 'report.md',
  queries: 'queries-vs-params.svg',
  bits: 'bits.svg',
  seconds: 'seconds-vs-workers.svg',
} as const;
export type ReportFiles = (typeof ReportFiles)[keyof typeof ReportFiles];

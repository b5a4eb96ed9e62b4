/** Process exit codes of every relurec command (SYSTEM.md). */
export const ExitCode = {
  /** The command did what was asked (a recovery finished complete). */
  done: 0,
  /** A recovery finished incomplete (budget spent, oracle failed, parts not found); what was learned is written and reported. */
  incomplete: 1,
  /** Bad input or usage: unknown flags, a malformed model file, an unreachable oracle, a feature not in this version. */
  usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

import { RunState } from '@relurec/protocol';
import type { DashboardSnapshot, RunView, WorkerTotals } from '../model/DashboardSnapshot.js';
import { formatClock } from './formatClock.js';
import { formatCount } from './formatCount.js';
import { formatDuration } from './formatDuration.js';

/** Runs shown on one status line; the rest are counted. */
const MAX_RUNS = 3;

/**
 * The one-line status the dashboard prints per interval without a terminal, e.g.
 * `12:00:01 workers 4 (3 busy, 1 lost) | run r1 layer 2 phase 'traces' neurons 20,18 tasks 18/20 queries 12345/100000 310/s ETA 4m 05s`.
 * Shows the running runs (at most three), or the latest run when none is running. No newline.
 */
export function formatStatusLine(snapshot: DashboardSnapshot): string {
  const parts = [`${formatClock(snapshot.now)} ${formatWorkers(snapshot.totals)}`];
  const running = snapshot.runs.filter((r) => r.state === RunState.running);
  const shown = running.length > 0 ? running : snapshot.runs.slice(-1);
  if (shown.length === 0) parts.push('no runs');
  for (const run of shown.slice(0, MAX_RUNS)) parts.push(formatRun(run));
  if (shown.length > MAX_RUNS) parts.push(`${shown.length - MAX_RUNS} more running`);
  return parts.join(' | ');
}

/** 'workers 4 (3 busy, 1 lost)': the states with no worker are left out. */
export function formatWorkers(totals: WorkerTotals): string {
  const states = (
    [
      ['busy', totals.busy],
      ['idle', totals.idle],
      ['stopping', totals.stopping],
      ['lost', totals.lost],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${n} ${name}`);
  return states.length === 0 ? `workers ${totals.workers}` : `workers ${totals.workers} (${states.join(', ')})`;
}

function formatRun(run: RunView): string {
  const words = [`run ${run.runId}`];
  if (run.state !== RunState.running) words.push(run.state);
  words.push(`layer ${run.layer}`, `phase '${run.phase}'`);
  if (run.neurons.length > 0) words.push(`neurons ${run.neurons.join(',')}`);
  words.push(`tasks ${run.tasksDone}/${run.tasksIssued}`);
  words.push(`queries ${run.queries}${run.budget === null ? '' : `/${run.budget}`}`);
  if (run.queriesPerSecond !== null) words.push(`${formatCount(run.queriesPerSecond)}/s`);
  if (run.etaMs !== null) words.push(`ETA ${formatDuration(run.etaMs)}`);
  if (run.reason !== undefined && run.state !== RunState.running) words.push(`(${run.reason})`);
  return words.join(' ');
}

/** @jsxRuntime automatic @jsxImportSource react */
// The pragma: tsx (the test runner) reads the root tsconfig.json, which has no "jsx" setting.
import { Box, Text } from 'ink';
import { formatBytes } from '../format/formatBytes.js';
import { formatCount } from '../format/formatCount.js';
import { formatDuration } from '../format/formatDuration.js';
import { formatWorkers } from '../format/formatStatusLine.js';
import { WorkerStatus, type WorkerTotals, type WorkerView } from '../model/DashboardSnapshot.js';

export interface WorkersTableProps {
  /** In display order (the model's: lost first, then by id). */
  readonly workers: readonly WorkerView[];
  readonly totals: WorkerTotals;
  /** Rows shown; the rest are summarised in one line. Default 20. */
  readonly maxRows?: number;
}

const STATE_COLOR: Record<WorkerStatus, string> = { idle: 'gray', busy: 'green', stopping: 'yellow', lost: 'red' };

/** Column widths in characters; the id and host columns fit their longest value up to a cap. */
interface Widths {
  readonly id: number;
  readonly host: number;
}

/** One line per worker: id, host, pid, state, current task, tasks done, queries/s, CPU, memory, last beat, errors. */
export function WorkersTable({ workers, totals, maxRows = 20 }: WorkersTableProps) {
  const shown = workers.slice(0, Math.max(0, maxRows));
  const widths: Widths = {
    id: clamp(Math.max(2, ...shown.map((w) => w.id.length)), 2, 20),
    host: clamp(Math.max(4, ...shown.map((w) => w.host.length)), 4, 20),
  };
  const hidden = workers.length - shown.length;
  const hiddenLost = workers.slice(shown.length).filter((w) => w.state === WorkerStatus.lost).length;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {formatWorkers(totals)}  {totals.running} tasks on {totals.threads} threads  {formatCount(totals.queriesPerSecond)} q/s  {totals.errors} errors
      </Text>
      <Text dimColor wrap="truncate-end">
        {header(widths)}
      </Text>
      {shown.map((w) => (
        <Text key={w.id} wrap="truncate-end">
          {cell(w.id, widths.id)} {cell(w.host, widths.host)} {cell(String(w.pid), 7)} <Text color={STATE_COLOR[w.state]}>{cell(w.state, 8)}</Text>{' '}
          {cell(currentTask(w), 22)} {right(String(w.tasksDone), 6)} {right(formatCount(w.queriesPerSecond), 7)} {right(w.cpu.toFixed(1), 5)}{' '}
          {right(formatBytes(w.rss), 7)} {right(formatDuration(w.lastBeatAgeMs), 7)} {right(String(w.errors), 4)}
        </Text>
      ))}
      {hidden > 0 && <Text dimColor>… {hidden} more workers{hiddenLost > 0 ? ` (${hiddenLost} lost)` : ''}</Text>}
    </Box>
  );
}

function header(widths: Widths): string {
  return [
    cell('ID', widths.id),
    cell('HOST', widths.host),
    cell('PID', 7),
    cell('STATE', 8),
    cell('TASK', 22),
    right('DONE', 6),
    right('Q/S', 7),
    right('CPU', 5),
    right('MEM', 7),
    right('BEAT', 7),
    right('ERR', 4),
  ].join(' ');
}

function currentTask(w: WorkerView): string {
  if (w.current.length === 0) return '-';
  const first = w.current[0];
  const more = w.current.length > 1 ? ` +${w.current.length - 1}` : '';
  return `${first.runId}/${first.taskId} ${first.kind}${more}`;
}

function cell(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

function right(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padStart(width);
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** @jsxRuntime automatic @jsxImportSource react */
// The pragma: tsx (the test runner) reads the root tsconfig.json, which has no "jsx" setting.
import { Box, Text } from 'ink';
import { RunState } from '@relurec/protocol';
import { formatCount } from '../format/formatCount.js';
import { formatDuration } from '../format/formatDuration.js';
import { EtaBasis, type RunView } from '../model/DashboardSnapshot.js';

export interface RunsPanelProps {
  /** In display order (the model's: by start time). */
  readonly runs: readonly RunView[];
  /** The run whose details are shown; none shown when it is not among runs. */
  readonly selectedRunId: string | undefined;
  /** Runs listed at once: a window that keeps the selected run in view. Default 5. */
  readonly maxRows?: number;
}

const STATE_COLOR: Record<RunState, string> = { running: 'green', complete: 'cyan', incomplete: 'yellow', failed: 'red' };

/** Bar width in characters. */
const BAR = 24;

/** The list of runs (the selected one marked) and the details of the selected run. */
export function RunsPanel({ runs, selectedRunId, maxRows = 5 }: RunsPanelProps) {
  if (runs.length === 0) return <Text dimColor>no runs yet</Text>;
  const at = runs.findIndex((r) => r.runId === selectedRunId);
  const rows = Math.max(1, maxRows);
  const from = Math.max(0, Math.min(runs.length - rows, at - Math.floor(rows / 2)));
  const shown = runs.slice(from, from + rows);
  const running = runs.filter((r) => r.state === RunState.running).length;
  return (
    <Box flexDirection="column">
      <Text bold>
        runs {runs.length} ({running} running){shown.length < runs.length ? ` · ${from + 1}-${from + shown.length} shown` : ''}
      </Text>
      {shown.map((r) => (
        <Text key={r.runId} inverse={r.runId === selectedRunId} wrap="truncate-end">
          {r.runId === selectedRunId ? '›' : ' '} {r.runId} <Text color={STATE_COLOR[r.state]}>{r.state}</Text> · layer {r.layer} · {r.phase} ·{' '}
          {formatCount(r.queries)}
          {r.budget === null ? '' : `/${formatCount(r.budget)}`} queries
        </Text>
      ))}
      {at >= 0 && <RunDetails run={runs[at]} />}
    </Box>
  );
}

function RunDetails({ run }: { readonly run: RunView }) {
  const fraction = run.budget !== null && run.budget > 0 ? run.queries / run.budget : run.tasksIssued > 0 ? run.tasksDone / run.tasksIssued : null;
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text wrap="truncate-end">
        <Text bold>{run.runId}</Text> {run.target} · <Text color={STATE_COLOR[run.state]}>{run.state}</Text>
        {run.reason === undefined ? '' : ` (${run.reason})`}
      </Text>
      <Text wrap="truncate-end">
        phase {run.phase} · layer {run.layer}
      </Text>
      <Text wrap="truncate-end">neurons {run.neurons.length === 0 ? '-' : run.neurons.map((n, i) => `L${i + 1} ${n}`).join('  ')}</Text>
      <Text wrap="truncate-end">
        queries {run.queries}
        {run.budget === null ? ' (no budget)' : ` / ${run.budget}`} · {run.queriesPerSecond === null ? '?' : formatCount(run.queriesPerSecond)}/s · tasks{' '}
        {run.tasksDone}/{run.tasksIssued}
      </Text>
      <Text wrap="truncate-end">
        {fraction === null ? '' : `${bar(fraction)} ${(100 * Math.min(1, fraction)).toFixed(0)}% `}
        {run.etaMs === null ? '' : `ETA ${formatDuration(run.etaMs)}${run.etaBasis === EtaBasis.budget ? ' (budget)' : ' (tasks issued)'}`}
        {run.state === RunState.running ? '' : `took ${formatDuration(run.updatedAt - run.startedAt)}`}
      </Text>
    </Box>
  );
}

function bar(fraction: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * BAR);
  return `${'█'.repeat(filled)}${'░'.repeat(BAR - filled)}`;
}

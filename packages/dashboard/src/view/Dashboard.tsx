/** @jsxRuntime automatic @jsxImportSource react */
// The pragma: tsx (the test runner) reads the root tsconfig.json, which has no "jsx" setting.
import { useEffect, useState } from 'react';
import { Box, Text, useInput, useStdout } from 'ink';
import { RunState } from '@relurec/protocol';
import { formatClock } from '../format/formatClock.js';
import type { DashboardSnapshot, RunView } from '../model/DashboardSnapshot.js';
import { EventLog } from './EventLog.js';
import { RunsPanel } from './RunsPanel.js';
import { WorkersTable } from './WorkersTable.js';

export interface DashboardProps {
  /** Computes the frame to show (DashboardModel.snapshot); called at mount and once per interval. */
  readonly snapshot: () => DashboardSnapshot;
  /** Milliseconds between frames. Default 1000. */
  readonly intervalMs?: number;
  /** Called when the user asks to quit ('q'). */
  readonly onExit: () => void;
  /** Worker rows shown. Default: what the terminal's height leaves (20 when it has none). */
  readonly maxWorkerRows?: number;
  /** Event log lines shown. Default 8 (fewer on a short terminal). */
  readonly maxLogLines?: number;
  /** Runs listed at once (a window around the selected one). Default 5. */
  readonly maxRunRows?: number;
}

/** Lines of the frame besides the worker rows, run rows and log lines (titles, margins, the run details box). */
const FIXED_LINES = 16;

/** The live view: workers, runs (up/down selects one), the event log. 'q' quits. */
export function Dashboard({ snapshot, intervalMs = 1000, onExit, maxWorkerRows, maxLogLines, maxRunRows = 5 }: DashboardProps) {
  const { stdout } = useStdout();
  const [frame, setFrame] = useState(snapshot);
  const [selectedRunId, setSelectedRunId] = useState<string | undefined>(undefined);

  useEffect(() => {
    const timer = setInterval(() => setFrame(snapshot()), intervalMs);
    return () => clearInterval(timer);
  }, [snapshot, intervalMs]);

  const runs = frame.runs;
  const selected = runs.some((r) => r.runId === selectedRunId) ? selectedRunId : defaultRun(runs);

  useInput((input, key) => {
    if (input === 'q') {
      onExit();
      return;
    }
    if (!key.upArrow && !key.downArrow) return;
    if (runs.length === 0) return;
    const step = key.upArrow ? -1 : 1;
    // From the previous state, so two keys pressed between renders move two runs.
    setSelectedRunId((previous) => {
      const current = runs.some((r) => r.runId === previous) ? previous : defaultRun(runs);
      const at = Math.max(0, runs.findIndex((r) => r.runId === current));
      return runs[Math.min(runs.length - 1, Math.max(0, at + step))].runId;
    });
  });

  const layout = fitLayout(stdout.rows, Math.min(runs.length, maxRunRows), maxWorkerRows, maxLogLines);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>relurec dashboard</Text> {formatClock(frame.now)} · q quit · ↑↓ select run
      </Text>
      <Box marginTop={1}>
        <WorkersTable workers={frame.workers} totals={frame.totals} maxRows={layout.workerRows} />
      </Box>
      <Box marginTop={1}>
        <RunsPanel runs={runs} selectedRunId={selected} maxRows={maxRunRows} />
      </Box>
      <Box marginTop={1}>
        <EventLog entries={frame.log} maxLines={layout.logLines} />
      </Box>
    </Box>
  );
}

/** The first running run, else the latest. */
function defaultRun(runs: readonly RunView[]): string | undefined {
  return (runs.find((r) => r.state === RunState.running) ?? runs[runs.length - 1])?.runId;
}

/**
 * Rows for the workers table and the log so that the frame stays shorter than the terminal: a
 * frame as tall as the terminal makes ink clear the whole screen at every redraw (flicker).
 */
function fitLayout(
  terminalRows: number | undefined,
  runRows: number,
  maxWorkerRows: number | undefined,
  maxLogLines: number | undefined,
): { workerRows: number; logLines: number } {
  let logLines = maxLogLines ?? 8;
  if (terminalRows === undefined || terminalRows <= 0) return { workerRows: maxWorkerRows ?? 20, logLines };
  const free = terminalRows - 1 - FIXED_LINES - runRows;
  // The log gets at most a third of what is free (at least 2 lines); the workers table the rest.
  logLines = Math.max(0, Math.min(logLines, Math.max(2, Math.floor(free / 3))));
  const workerRows = Math.max(1, Math.min(maxWorkerRows ?? Number.POSITIVE_INFINITY, free - logLines));
  return { workerRows, logLines };
}

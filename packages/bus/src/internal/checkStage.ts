import type { FragmentStage } from '@relurec/protocol';
import { assertRunId, FragmentStage as Stage, MsgId, Subject } from '@relurec/protocol';
import type { FragmentStageOptions, PrepareTopologyOptions, SubscribeFragmentsOptions } from '../Bus.js';
import { checkInteger } from './checkOption.js';

/** The stage of publishFragment/subscribeFragments options (default 'raw'); errors name the option. */
export function checkStage(options: FragmentStageOptions | undefined): FragmentStage {
  if (options === undefined) return Stage.raw;
  if (typeof options !== 'object' || options === null) throw new TypeError('fragment options must be an object');
  const stage = options.stage ?? Stage.raw;
  if (stage !== Stage.raw && stage !== Stage.merged) {
    throw new TypeError(`options.stage must be 'raw' or 'merged' (got ${JSON.stringify(stage) ?? String(stage)})`);
  }
  return stage;
}

/** subscribeFragments options checked: the stage and the onReplayed callback. */
export function checkSubscribeOptions(options: SubscribeFragmentsOptions | undefined): { stage: FragmentStage; onReplayed: (() => void) | undefined } {
  const stage = checkStage(options);
  const onReplayed = options?.onReplayed;
  if (onReplayed !== undefined && typeof onReplayed !== 'function') throw new TypeError('options.onReplayed must be a function');
  return { stage, onReplayed };
}

/** prepareTopology options checked, with serveTasks' default ackWaitMs. */
export function checkPrepareOptions(options: PrepareTopologyOptions | undefined): { runId: string | undefined; ackWaitMs: number } {
  const o = options ?? {};
  if (typeof o !== 'object' || o === null) throw new TypeError('prepareTopology options must be an object');
  checkInteger(o.ackWaitMs, 'options.ackWaitMs', 100);
  if (o.runId !== undefined) assertRunId(o.runId, 'options.runId');
  return { runId: o.runId, ackWaitMs: o.ackWaitMs ?? 30_000 };
}

/** The subject of a run's fragments on a stage. */
export function stageSubject(stage: FragmentStage, runId: string): string {
  return stage === Stage.merged ? Subject.merged(runId) : Subject.fragments(runId);
}

/** The Nats-Msg-Id (and in-process dedupe key) of a task's fragment on a stage. */
export function stageMsgId(stage: FragmentStage, runId: string, taskId: string): string {
  return stage === Stage.merged ? MsgId.merged(runId, taskId) : MsgId.fragment(runId, taskId);
}

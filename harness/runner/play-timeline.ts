import { errorMessage, isChaosError } from '../errors.js';
import { planTimeline, runTimeline, type StepRecord, type TimelineResult } from '../engine/timeline.js';
import type { HistoryRecord } from '../observe/history-types.js';
import { pollAbortConditions } from './abort-condition-polling.js';
import type { RunningNetwork } from './running-network.js';
import type { RunContext } from './run-session-types.js';

export interface TimelinePlay extends Pick<RunContext, 'scenario' | 'architecture' | 'clock' | 'scale'> {
  /** T0: the clock time the steps' offsets count from. */
  readonly timelineStart: number;
  /** Aborted by an interrupt; aborted here once an abort condition holds. */
  readonly abortRun: AbortController;
  readonly record: (event: HistoryRecord) => void;
  /** Every step that started, handed over before an abort is thrown. */
  readonly onPlayed: (steps: readonly StepRecord[]) => void;
}

/**
 * Plays the timeline while watching the abort conditions. A step that fails is recorded as an
 * `error` starting `step ` (the verdict's "timeline steps ran" reads it) and the timeline goes on.
 */
export async function playTimeline(network: RunningNetwork, play: TimelinePlay): Promise<TimelineResult> {
  const { scenario, architecture, clock, scale, timelineStart, abortRun, record } = play;
  const abortPolling = pollAbortConditions({ scenario, scale, clock, network, timelineStart, abortRun });
  const result = await runTimeline(planTimeline(scenario, architecture, scale), {
    clock,
    signal: abortRun.signal,
    startedAt: timelineStart,
    execute: (step) => network.executor.execute(step.action, step.key),
    onStepError: (step, error) => {
      record({ type: 'error', message: `step ${step.key} (${step.action.do}) failed: ${errorMessage(error)}`, ...(isChaosError(error) ? { code: error.code } : {}) });
    },
  });
  play.onPlayed(result.records);
  await abortPolling.stop();
  return result;
}

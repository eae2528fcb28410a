import { errorMessage } from '../errors.js';
import type { Clock } from './clock.js';
import type { TimeScaleConverter } from '../scenario/time-scale.js';
import type { Architecture, Duration, ScenarioDefinition, TimelineAction } from '../scenario/types.js';

export interface ScheduledStep {
  /** Position in the scenario's timeline. */
  readonly index: number;
  /** Stable name, `timeline[<index>]`: a label for `random.fork` so each step draws its own victims. */
  readonly key: string;
  readonly at: Duration;
  /** Real milliseconds from the start of the timeline. */
  readonly offsetMs: number;
  readonly action: TimelineAction;
}

export interface TimelinePlan {
  readonly architecture: Architecture;
  readonly steps: readonly ScheduledStep[];
  /** Real milliseconds from the start of the timeline to the end of the run (`duration`). */
  readonly endMs: number;
}

/** The steps one architecture runs, with real offsets, in time order (ties keep the scenario's order). */
export function planTimeline(definition: ScenarioDefinition, architecture: Architecture, timeScale: TimeScaleConverter): TimelinePlan {
  const steps = definition.timeline
    .map((step, index) => ({ step, index }))
    .filter(({ step }) => step.only === undefined || step.only.includes(architecture))
    .map(({ step, index }) => ({ index, key: `timeline[${index}]`, at: step.at, offsetMs: timeScale.toRealMs(step.at), action: step.action }))
    .sort((a, b) => a.offsetMs - b.offsetMs || a.index - b.index);
  return { architecture, steps, endMs: timeScale.toRealMs(definition.duration) };
}

export interface StepRecord {
  readonly step: ScheduledStep;
  /** Real milliseconds from the start of the timeline. */
  readonly scheduledMs: number;
  readonly startedMs: number;
  readonly finishedMs: number;
  readonly lateByMs: number;
  readonly late: boolean;
  readonly outcome: 'done' | 'failed';
  readonly error?: unknown;
}

export interface TimelineResult {
  readonly records: readonly StepRecord[];
  /** The signal aborted before every step ran (or before the end of the run). */
  readonly aborted: boolean;
  /** A failed step asked the timeline to stop. */
  readonly stoppedAfterError: boolean;
}

export interface RunTimelineOptions {
  readonly clock: Clock;
  readonly execute: (step: ScheduledStep) => Promise<void>;
  readonly signal?: AbortSignal;
  /** Called when a step throws; return `'stop'` to end the timeline there. Steps continue by default. */
  readonly onStepError?: (step: ScheduledStep, error: unknown) => 'stop' | 'continue' | void;
  /** A step that starts more than this after its offset is recorded late (default 100 ms). */
  readonly lateToleranceMs?: number;
  /** Wait until `plan.endMs` after the last step (default true). */
  readonly waitForEnd?: boolean;
  /** Clock time the timeline started (default: now). */
  readonly startedAt?: number;
}

/**
 * Runs each step at its offset, one after another: a step whose time passed while an earlier one
 * ran starts at once and is recorded late. Stops when the signal aborts.
 */
export async function runTimeline(plan: TimelinePlan, options: RunTimelineOptions): Promise<TimelineResult> {
  const { clock, signal } = options;
  const origin = options.startedAt ?? clock.now();
  const tolerance = options.lateToleranceMs ?? 100;
  const elapsed = (): number => clock.now() - origin;
  const records: StepRecord[] = [];

  for (const step of plan.steps) {
    const wait = step.offsetMs - elapsed();
    if (wait > 0) await clock.sleep(wait, signal);
    if (signal?.aborted === true) return { records, aborted: true, stoppedAfterError: false };
    const startedMs = elapsed();
    const lateByMs = Math.max(0, startedMs - step.offsetMs);
    const base = { step, scheduledMs: step.offsetMs, startedMs, lateByMs, late: lateByMs > tolerance };
    try {
      await options.execute(step);
      records.push({ ...base, finishedMs: elapsed(), outcome: 'done' });
    } catch (error) {
      records.push({ ...base, finishedMs: elapsed(), outcome: 'failed', error });
      const decision = options.onStepError?.(step, error);
      if (decision === 'stop') return { records, aborted: false, stoppedAfterError: true };
    }
  }

  if (options.waitForEnd ?? true) {
    const rest = plan.endMs - elapsed();
    if (rest > 0) await clock.sleep(rest, signal);
  }
  return { records, aborted: signal?.aborted === true, stoppedAfterError: false };
}

/** One line per step record, for journals and logs. */
export function describeStepRecord(record: StepRecord): string {
  const what = 'id' in record.step.action ? `${record.step.action.do} ${record.step.action.id}` : `${record.step.action.do} ${record.step.action.label}`;
  const when = `at ${record.step.at} (+${Math.round(record.startedMs)}ms${record.late ? `, late by ${Math.round(record.lateByMs)}ms` : ''})`;
  return record.outcome === 'failed' ? `${what} ${when} failed: ${errorMessage(record.error)}` : `${what} ${when}`;
}

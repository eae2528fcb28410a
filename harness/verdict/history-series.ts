import type { EventOf, HistoryEvent, RunPhase, StepTiming } from '../observe/history-types.js';
import { lookupSuccessBetween } from '../observe/lookup-success.js';
import { tryParseDuration } from '../scenario/duration.js';

/** Series derived from one history; every checker reads the history only through these. */

export type { SampleEvent } from '../observe/sampler.js';
import type { SampleEvent } from '../observe/sampler.js';

export const RECOVERY_SHARE = 0.95;

export function runStartOf(events: readonly HistoryEvent[]): EventOf<'run-start'> | undefined {
  return events.find((e): e is EventOf<'run-start'> => e.type === 'run-start');
}

export function runEndOf(events: readonly HistoryEvent[]): EventOf<'run-end'> | undefined {
  return events.findLast((e): e is EventOf<'run-end'> => e.type === 'run-end');
}

/** The phases a run may be interrupted in and keep its verdict: the timeline had ended. */
export type LateInterruptPhase = Extract<RunPhase, 'rollback' | 'teardown'>;

/**
 * The phase an interrupt reached the run in once its timeline was over (rollback or teardown), when
 * the run-end does not say `interrupted`; undefined otherwise (no interrupt, or one that cut the run short).
 */
export function interruptedDuring(events: readonly HistoryEvent[]): LateInterruptPhase | undefined {
  if (runEndOf(events)?.outcome === 'interrupted') return undefined;
  const phase = events.find((e): e is EventOf<'interrupt'> => e.type === 'interrupt')?.phase;
  return phase === 'rollback' || phase === 'teardown' ? phase : undefined;
}

/** Samples whose online count is known: a tick that could not read some fleet for too long says nothing about its clients. */
export function samplesOf(events: readonly HistoryEvent[]): SampleEvent[] {
  return everySampleOf(events).filter((s) => !((s.totals.fleetsUnread ?? 0) > 0));
}

/** Every sample, including those with an unknown online count (what the saturation rule needs to see). */
export function everySampleOf(events: readonly HistoryEvent[]): SampleEvent[] {
  return events.filter((e): e is SampleEvent => e.type === 'sample');
}

/** From the phase's start to the next phase's start (or +Infinity). */
export function phaseWindow(events: readonly HistoryEvent[], phase: RunPhase): { from: number; to: number } | undefined {
  const phases = events.filter((e): e is EventOf<'phase'> => e.type === 'phase');
  const index = phases.findIndex((e) => e.phase === phase);
  const start = phases[index];
  if (start === undefined) return undefined;
  return { from: start.t, to: phases[index + 1]?.t ?? Number.POSITIVE_INFINITY };
}

/**
 * When the step that wrote this event began (`startedT`); a history written before steps carried
 * their start gives `t`, when the step was done.
 */
export function stepStartOf(event: StepTiming & { readonly t: number }): number {
  return event.startedT ?? event.t;
}

export function firstFaultTime(events: readonly HistoryEvent[]): number | undefined {
  return firstInjection(events)?.t;
}

function firstInjection(events: readonly HistoryEvent[]): EventOf<'fault'> | undefined {
  return events.find((e): e is EventOf<'fault'> => e.type === 'fault' && e.action === 'inject');
}

/** When the first injected fault (the trigger) was healed; undefined when it never was. */
export function triggerHealedTime(events: readonly HistoryEvent[]): number | undefined {
  const trigger = firstInjection(events);
  if (trigger === undefined) return undefined;
  return events.find((e) => e.type === 'fault' && e.action === 'heal' && e.id === trigger.id && e.t >= trigger.t)?.t;
}

/** Real milliseconds per scenario hour, from run-start. */
export function msPerScenarioHour(events: readonly HistoryEvent[]): number {
  const start = runStartOf(events);
  if (start === undefined || !(start.msPerScenarioHour > 0)) throw new Error('the history has no run-start with the time scale');
  return start.msPerScenarioHour;
}

/** A scenario duration in real milliseconds at this run's time scale. */
export function realMsOf(events: readonly HistoryEvent[], duration: string): number {
  const ms = tryParseDuration(duration);
  if (ms === undefined) throw new Error(`"${duration}" is not a duration`);
  return (ms / 3_600_000) * msPerScenarioHour(events);
}

/** Lookup success over each sample's interval (from the previous sample); undefined for the first. */
export function lookupSuccessSeries(samples: readonly SampleEvent[]): (number | undefined)[] {
  return samples.map((sample, i) => {
    const previous = samples[i - 1];
    return previous === undefined ? undefined : lookupSuccessBetween(previous.totals, sample.totals);
  });
}

export interface SteadyBaseline {
  readonly onlineClients: number;
  /** Undefined when no lookup happened at steady state. */
  readonly lookupSuccess: number | undefined;
  /** Supernodes in the network at the end of the steady state. */
  readonly supernodes: number;
  readonly from: number;
  readonly to: number;
  readonly samples: number;
}

/**
 * Mean online clients and lookup success over the steady-state phase: its last `hold` when the
 * history states the hypothesis (the stretch in which it held), else the whole phase, else the
 * samples before the first fault.
 */
export function steadyBaseline(events: readonly HistoryEvent[]): SteadyBaseline {
  const samples = samplesOf(events);
  const fault = firstFaultTime(events) ?? Number.POSITIVE_INFINITY;
  const phase = phaseWindow(events, 'steady-state');
  let window = phase === undefined ? samples.filter((s) => s.t < fault) : samples.filter((s) => s.t >= phase.from && s.t <= phase.to && s.t < fault);
  const hold = runStartOf(events)?.definition.steadyState.hold;
  const last = window.at(-1);
  if (hold !== undefined && last !== undefined && phase !== undefined) {
    const holdMs = realMsOf(events, hold);
    const held = window.filter((s) => s.t >= last.t - holdMs);
    if (held.length > 0) window = held;
  }
  const first = window[0];
  if (first === undefined || last === undefined) throw new Error('no sample at steady state (before the first fault)');
  const before = samples[samples.indexOf(first) - 1] ?? first;
  return {
    onlineClients: window.reduce((sum, s) => sum + s.totals.clientsOnline, 0) / window.length,
    lookupSuccess: lookupSuccessBetween(before.totals, last.totals),
    supernodes: last.totals.supernodesTotal,
    from: first.t,
    to: last.t,
    samples: window.length,
  };
}

/** Online clients of a sample as a fraction of the steady-state mean. */
export function onlineFraction(sample: SampleEvent, baseline: SteadyBaseline): number {
  if (!(baseline.onlineClients > 0)) throw new Error('no client was online at steady state');
  return sample.totals.clientsOnline / baseline.onlineClients;
}

/** Samples after the first fault, or after the steady state when no fault was injected. */
export function samplesUnderTest(events: readonly HistoryEvent[]): SampleEvent[] {
  const from = firstFaultTime(events) ?? phaseWindow(events, 'steady-state')?.to ?? Number.NEGATIVE_INFINITY;
  return samplesOf(events).filter((s) => s.t >= from);
}

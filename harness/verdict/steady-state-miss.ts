import { createProbeTracker } from '../engine/probe-values.js';
import type { EventOf, HistoryEvent } from '../observe/history-types.js';
import type { ProbeMetric } from '../scenario/types.js';
import { everySampleOf, phaseWindow, runEndOf, runStartOf } from './history-series.js';

export interface ProbeShortfall {
  readonly metric: ProbeMetric;
  /** The best the probe read during the steady-state phase; null when it never had a value. */
  readonly best: number | null;
  readonly atLeast: number;
}

/** A run whose steady-state hypothesis never held within its `within`: the timeline never started. */
export interface SteadyStateMiss {
  readonly within: string;
  readonly hold: string;
  /** Every probe, with the best it reached. */
  readonly probes: readonly ProbeShortfall[];
  /** `steady state not reached within 70h: online 1% at best against 95% wanted` */
  readonly reason: string;
}

const PROBE_WORDS: Readonly<Record<ProbeMetric, string>> = {
  onlineFraction: 'online',
  lookupSuccess: 'lookup success',
  supernodesAliveFraction: 'supernodes serving',
};

const percent = (share: number): string => `${Math.round(share * 100)}%`;

/**
 * The run ended `failed` on the steady-state wait's TIMEOUT, recorded in the steady-state phase,
 * before any timeline; undefined for any other run. The probes are read again from the phase's samples.
 */
export function steadyStateMissOf(events: readonly HistoryEvent[]): SteadyStateMiss | undefined {
  const start = runStartOf(events);
  const phase = phaseWindow(events, 'steady-state');
  if (start === undefined || phase === undefined || runEndOf(events)?.outcome !== 'failed' || phaseWindow(events, 'timeline') !== undefined) return undefined;
  const timedOut = events.some((e): e is EventOf<'error'> => e.type === 'error' && e.code === 'TIMEOUT' && e.t >= phase.from && e.t <= phase.to);
  if (!timedOut) return undefined;
  const { hold, within, probes } = start.definition.steadyState;
  const track = createProbeTracker();
  const best = new Map<ProbeMetric, number>();
  for (const sample of everySampleOf(events).filter((s) => s.t >= phase.from && s.t <= phase.to)) {
    const values = track(sample.totals);
    for (const [metric, value] of Object.entries(values) as [ProbeMetric, number][]) best.set(metric, Math.max(best.get(metric) ?? value, value));
  }
  const shortfalls = probes.map((p) => ({ metric: p.metric, best: best.get(p.metric) ?? null, atLeast: p.atLeast }));
  const missed = shortfalls.filter((p) => p.best === null || p.best < p.atLeast);
  const figures =
    missed.length === 0
      ? `every probe reached its bound, never all together for ${hold}`
      : missed.map((p) => `${PROBE_WORDS[p.metric]} ${p.best === null ? 'never measured' : `${percent(p.best)} at best`} against ${percent(p.atLeast)} wanted`).join(', ');
  return { within, hold, probes: shortfalls, reason: `steady state not reached within ${within}: ${figures}` };
}

import type { HistoryEvent } from '../observe/history-types.js';
import { measureOnlineLowPoint } from './availability.js';
import {
  RECOVERY_SHARE,
  firstFaultTime,
  lookupSuccessSeries,
  msPerScenarioHour,
  onlineFraction,
  realMsOf,
  runStartOf,
  samplesOf,
  steadyBaseline,
} from './history-series.js';

export interface Recovery {
  readonly faultAt: number;
  /** Real ms (run clock) at which the held recovery began; null when it never did. */
  readonly recoveredAt: number | null;
  readonly recoveryMs: number | null;
  readonly recoveryScenarioHours: number | null;
  readonly holdMs: number;
}

/**
 * The architecture's `recoveryHold` in real ms; without one, the steady-state hypothesis's hold
 * (being back means holding steady state again); 0 only when neither is stated.
 */
export function recoveryHoldMs(events: readonly HistoryEvent[]): number {
  const start = runStartOf(events);
  const hold = start?.definition.architectures[start.architecture]?.targets.recoveryHold ?? start?.definition.steadyState.hold;
  return hold === undefined ? 0 : realMsOf(events, hold);
}

/**
 * Time from the first fault until online clients and lookup success are both back to at least
 * 95% of steady state, held for `recoveryHold`. The search starts at the first sample after the
 * fault that falls short, and not before the online low point, so a healthy stretch before a
 * delayed or deeper collapse is not taken for a recovery; a run that never falls short recovers
 * at once. A sample interval without lookups is judged on online clients alone.
 */
export function measureRecovery(events: readonly HistoryEvent[]): Recovery {
  const faultAt = firstFaultTime(events);
  if (faultAt === undefined) throw new Error('no fault was injected, so there is nothing to recover from');
  const baseline = steadyBaseline(events);
  const holdMs = recoveryHoldMs(events);
  const all = samplesOf(events);
  const lookups = lookupSuccessSeries(all);
  const after = all
    .map((sample, i) => {
      const lookup = lookups[i];
      const lookupOk = lookup === undefined || baseline.lookupSuccess === undefined || lookup >= RECOVERY_SHARE * baseline.lookupSuccess;
      return { t: sample.t, good: onlineFraction(sample, baseline) >= RECOVERY_SHARE && lookupOk };
    })
    .filter((s) => s.t >= faultAt);
  const firstBad = after.findIndex((s) => !s.good);
  let runStart: number | undefined;
  let recoveredAt: number | null = null;
  // Nothing before the worst moment of the outage counts as having recovered from it.
  const lowAt = firstBad < 0 ? Number.NEGATIVE_INFINITY : measureOnlineLowPoint(events).at;
  for (const sample of after.slice(Math.max(0, firstBad)).filter((s) => s.t >= lowAt)) {
    if (!sample.good) {
      runStart = undefined;
      continue;
    }
    runStart ??= sample.t;
    if (sample.t - runStart >= holdMs) {
      recoveredAt = runStart;
      break;
    }
  }
  const recoveryMs = recoveredAt === null ? null : recoveredAt - faultAt;
  return {
    faultAt,
    recoveredAt,
    recoveryMs,
    recoveryScenarioHours: recoveryMs === null ? null : recoveryMs / msPerScenarioHour(events),
    holdMs,
  };
}

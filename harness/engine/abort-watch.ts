import type { ProbeValues } from './probe-values.js';
import type { TimeScaleConverter } from '../scenario/time-scale.js';
import type { AbortCondition } from '../scenario/types.js';

export interface AbortDecision {
  readonly index: number;
  readonly condition: AbortCondition;
  /** Real milliseconds on the timeline when the condition fired. */
  readonly atMs: number;
  readonly value: number;
  readonly reason: string;
}

export interface AbortWatch {
  /** Feeds one tick (real ms from the start of the timeline); returns the decision once a condition fires. */
  observe(timelineMs: number, values: ProbeValues): AbortDecision | undefined;
  decision(): AbortDecision | undefined;
}

/**
 * Watches the abort conditions: a metric below its bound for `for` (after `after`) aborts the run.
 * A tick without a value for the metric neither extends nor breaks the streak.
 */
export function createAbortWatch(conditions: readonly AbortCondition[], timeScale: TimeScaleConverter): AbortWatch {
  const watched = conditions.map((condition, index) => ({
    index,
    condition,
    forMs: timeScale.toRealMs(condition.for),
    afterMs: condition.after === undefined ? 0 : timeScale.toRealMs(condition.after),
    belowSince: undefined as number | undefined,
  }));
  let fired: AbortDecision | undefined;

  return {
    observe(timelineMs, values) {
      if (fired !== undefined) return fired;
      for (const entry of watched) {
        const value = values[entry.condition.metric];
        if (timelineMs < entry.afterMs || value === undefined) continue;
        if (value >= entry.condition.below) {
          entry.belowSince = undefined;
          continue;
        }
        entry.belowSince ??= timelineMs;
        if (timelineMs - entry.belowSince >= entry.forMs) {
          const { metric, below } = entry.condition;
          fired = {
            index: entry.index,
            condition: entry.condition,
            atMs: timelineMs,
            value,
            reason: `${metric} ${value.toFixed(3)} stayed below ${below} for ${entry.condition.for} (abortWhen[${entry.index}])`,
          };
          return fired;
        }
      }
      return undefined;
    },
    decision: () => fired,
  };
}

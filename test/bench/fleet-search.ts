/**
 * The search for the largest fleet one process holds: double from `start` until a size fails, then
 * halve the gap between the largest size that held and the smallest that failed, until the gap is
 * within the resolution, a bound is reached, or the steps or the time run out.
 */

export interface FleetSearchRule {
  readonly start: number;
  /** Smallest size worth trying; a failure there ends the search. */
  readonly min: number;
  /** Largest size a fleet process accepts; holding it ends the search. */
  readonly max: number;
  /** Sizes are multiples of this. */
  readonly granularity: number;
  /** Stop once the gap between held and failed is at most this share of the held size (or one granule). */
  readonly resolution: number;
  readonly maxSteps: number;
}

export interface FleetProbe {
  readonly size: number;
  readonly held: boolean;
  /** How long the step took (start, online, settle, stop), for the time-budget decision. */
  readonly tookMs?: number;
}

export type SearchStop = 'bracketed' | 'held-at-maximum' | 'failed-at-minimum' | 'step-budget' | 'time-budget';

export type SearchDecision = { readonly next: number } | { readonly stop: SearchStop };

export interface SearchBracket {
  /** The largest size that held, if any. */
  readonly held: number | undefined;
  /** The smallest size above `held` that failed, if any. */
  readonly failed: number | undefined;
}

export function bracketOf(probes: readonly FleetProbe[]): SearchBracket {
  const heldSizes = probes.filter((probe) => probe.held).map((probe) => probe.size);
  const held = heldSizes.length === 0 ? undefined : Math.max(...heldSizes);
  // A failure below a size that held is noise on a shared machine: it does not bound the search.
  const failedSizes = probes.filter((probe) => !probe.held && (held === undefined || probe.size > held)).map((probe) => probe.size);
  return { held, failed: failedSizes.length === 0 ? undefined : Math.min(...failedSizes) };
}

const roundTo = (value: number, granularity: number): number => Math.round(value / granularity) * granularity;

/** The next size to try, or why to stop. `timeLeftMs`: stop when the next step would likely not fit. */
export function nextFleetSize(probes: readonly FleetProbe[], rule: FleetSearchRule, timeLeftMs = Number.POSITIVE_INFINITY): SearchDecision {
  const { held, failed } = bracketOf(probes);
  const candidate = candidateSize(held, failed, rule);
  if ('stop' in candidate) return candidate;
  if (probes.length >= rule.maxSteps) return { stop: 'step-budget' };
  if (timeLeftMs < expectedStepMs(probes, candidate.next)) return { stop: 'time-budget' };
  return candidate;
}

function candidateSize(held: number | undefined, failed: number | undefined, rule: FleetSearchRule): SearchDecision {
  if (held === undefined && failed === undefined) return { next: rule.start };
  if (failed === undefined) {
    const last = held ?? rule.start;
    return last >= rule.max ? { stop: 'held-at-maximum' } : { next: Math.min(rule.max, roundTo(last * 2, rule.granularity)) };
  }
  if (held === undefined) {
    if (failed <= rule.min) return { stop: 'failed-at-minimum' };
    const next = Math.max(rule.min, roundTo(failed / 2, rule.granularity));
    return next < failed ? { next } : { stop: 'failed-at-minimum' };
  }
  if (failed - held <= Math.max(rule.granularity, rule.resolution * held)) return { stop: 'bracketed' };
  const next = roundTo((held + failed) / 2, rule.granularity);
  return next > held && next < failed ? { next } : { stop: 'bracketed' };
}

/** A step's time grows with its size (logins are spread over time): scale the largest step taken so far. */
function expectedStepMs(probes: readonly FleetProbe[], size: number): number {
  const timed = probes.filter((probe) => probe.tookMs !== undefined);
  const largest = timed.reduce<FleetProbe | undefined>((best, probe) => (best === undefined || probe.size > best.size ? probe : best), undefined);
  if (largest === undefined) return 0;
  return (largest.tookMs ?? 0) * Math.max(1, size / Math.max(1, largest.size));
}

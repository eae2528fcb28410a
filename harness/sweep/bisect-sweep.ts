import { DEFAULT_HOLDS_WHEN, judgedTally, type HoldsWhen } from './holds-when.js';
import { isJudged, pointStatus, type PointStatus, type RunPoint, type SweepPoint } from './sweep-point.js';

/** Which way points stop holding: `bigger-breaks` holds at --from and breaks at --to. */
export type SweepDirection = 'bigger-breaks' | 'smaller-breaks';

/** The last value that held and the first that broke; the breaking point lies between them. */
export interface Bracket {
  readonly holds: number;
  readonly breaks: number;
}

export type SweepStop =
  /** Whole numbers: the bracket is two neighbours, nothing lies between. */
  | { readonly kind: 'resolved' }
  /** Every bisection step was used. */
  | { readonly kind: 'steps' }
  | { readonly kind: 'holds-throughout' }
  | { readonly kind: 'breaks-throughout' }
  /** An end could not be judged: no bracket, nothing bisected. */
  | { readonly kind: 'unjudged-end'; readonly value: number; readonly status: PointStatus }
  /** A bisection point could not be judged: the bracket stays as it was, and the sweep stops there. */
  | { readonly kind: 'unjudged-point'; readonly value: number; readonly status: PointStatus }
  /** Ctrl-C, or a point that threw. */
  | { readonly kind: 'stopped'; readonly value: number };

export interface SweepOutcome {
  /** In the order they were run. */
  readonly points: readonly SweepPoint[];
  readonly direction: SweepDirection | null;
  readonly bracket: Bracket | null;
  readonly stop: SweepStop;
  /** What a point threw, when one did; the points before it are kept. */
  readonly error?: unknown;
}

export interface BisectPlan {
  readonly from: number;
  readonly to: number;
  /** Points are whole numbers. */
  readonly integer: boolean;
  /** Points after the two ends, at most. */
  readonly steps: number;
  /** What a point holds by; the expectation when not given. */
  readonly holdsWhen?: HoldsWhen;
}

/** The point halfway between the bracket's values, or undefined when none lies strictly between. */
export function midpoint(bracket: Bracket, integer: boolean): number | undefined {
  const low = Math.min(bracket.holds, bracket.breaks);
  const high = Math.max(bracket.holds, bracket.breaks);
  const mid = integer ? Math.floor((low + high) / 2) : (low + high) / 2;
  return mid > low && mid < high ? mid : undefined;
}

/**
 * Runs both ends, then bisects between the end that holds and the end that breaks, at most `steps`
 * times. It assumes one breaking point in the range (points hold on one side of it and break on
 * the other). A point that is neither holds nor breaks (saturated, unknown) is never
 * bisected on: at an end there is no bracket, inside the range the sweep stops with the bracket it had.
 */
export async function bisectSweep(plan: BisectPlan, runPoint: RunPoint): Promise<SweepOutcome> {
  const points: SweepPoint[] = [];
  const run = async (value: number): Promise<SweepPoint> => {
    const index = points.length;
    const runs = await runPoint({ index, value });
    const point: SweepPoint = { ...runs, index, value, status: pointStatus(judgedTally(runs, plan.holdsWhen ?? DEFAULT_HOLDS_WHEN)) };
    points.push(point);
    return point;
  };
  const result = (rest: Omit<SweepOutcome, 'points'>): SweepOutcome => ({ points, ...rest });

  let direction: SweepDirection | null = null;
  let bracket: Bracket | null = null;
  let value = plan.from;
  try {
    const low = await run(plan.from);
    if (low.stoppedEarly) return result({ direction, bracket, stop: { kind: 'stopped', value } });
    value = plan.to;
    const high = await run(plan.to);
    if (high.stoppedEarly) return result({ direction, bracket, stop: { kind: 'stopped', value } });
    const unjudged = [low, high].find((point) => !isJudged(point.status));
    if (unjudged !== undefined) return result({ direction, bracket, stop: { kind: 'unjudged-end', value: unjudged.value, status: unjudged.status } });
    if (low.status === high.status) return result({ direction, bracket, stop: { kind: low.status === 'holds' ? 'holds-throughout' : 'breaks-throughout' } });
    direction = low.status === 'holds' ? 'bigger-breaks' : 'smaller-breaks';
    bracket = direction === 'bigger-breaks' ? { holds: plan.from, breaks: plan.to } : { holds: plan.to, breaks: plan.from };
    for (let step = 0; step < plan.steps; step += 1) {
      const mid = midpoint(bracket, plan.integer);
      if (mid === undefined) return result({ direction, bracket, stop: { kind: 'resolved' } });
      value = mid;
      const point = await run(mid);
      if (point.stoppedEarly) return result({ direction, bracket, stop: { kind: 'stopped', value } });
      if (point.status === 'holds') bracket = { ...bracket, holds: mid };
      else if (point.status === 'breaks') bracket = { ...bracket, breaks: mid };
      else return result({ direction, bracket, stop: { kind: 'unjudged-point', value: mid, status: point.status } });
    }
    return result({ direction, bracket, stop: midpoint(bracket, plan.integer) === undefined ? { kind: 'resolved' } : { kind: 'steps' } });
  } catch (error) {
    return result({ direction, bracket, stop: { kind: 'stopped', value }, error });
  }
}

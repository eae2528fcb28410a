import type { PassTally, RepeatRunEntry } from '../verdict/repeat-summary.js';

/**
 * What a point says at its value, from the tally its rule judges it by (`judgedTally`):
 * - `breaks`: at least one judged run failed (missed the expectation; under `--holds-when delivered`, saturated);
 * - `saturated`: none failed, but the harness could not deliver the load in at least one run
 *   (only under the expectation rule: the delivery tally counts a saturated run as failed);
 * - `unknown`: none failed or saturated, but not every run could be judged;
 * - `holds`: every run was judged and passed.
 * Only `holds` and `breaks` are bisected on.
 */
export type PointStatus = 'holds' | 'breaks' | 'saturated' | 'unknown';

export function pointStatus(tally: PassTally): PointStatus {
  if (tally.fails > 0) return 'breaks';
  if (tally.saturated > 0) return 'saturated';
  if (tally.unknown > 0 || tally.passes === 0) return 'unknown';
  return 'holds';
}

export const isJudged = (status: PointStatus): status is 'holds' | 'breaks' => status === 'holds' || status === 'breaks';

/** The K runs of one value: the expectation's tally over them (with its Wilson interval) and each run. */
export interface PointRuns {
  readonly met: PassTally;
  readonly runs: readonly RepeatRunEntry[];
  /** Where the point's runs and its repeat reports are, relative to the sweep's directory. */
  readonly dir: string;
  /** The K runs did not all finish (Ctrl-C, or an error): the sweep stops after this point. */
  readonly stoppedEarly: boolean;
}

export interface SweepPoint extends PointRuns {
  /** The order it was run in: 0 and 1 are the ends, then one per bisection step. */
  readonly index: number;
  readonly value: number;
  readonly status: PointStatus;
}

/** Runs one value of the parameter K times; the real one drives `repeatRuns`, tests pass a fake. */
export type RunPoint = (request: { readonly index: number; readonly value: number }) => Promise<PointRuns>;

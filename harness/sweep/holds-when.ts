import { formatInterval, formatTally, leftOut } from '../report/repeat-format.js';
import type { PassTally, RepeatRunEntry } from '../verdict/repeat-summary.js';
import { deliveryTally } from './run-delivery.js';

/**
 * What a point holds by (`--holds-when`): `expectation`, the architecture met its expectation in
 * every run (how far the system goes); `delivered`, the harness delivered the scenario's load in
 * every run, whatever the verdict (how far this machine goes).
 */
export const HOLDS_WHEN = ['expectation', 'delivered'] as const;
export type HoldsWhen = (typeof HOLDS_WHEN)[number];
export const DEFAULT_HOLDS_WHEN: HoldsWhen = 'expectation';

export const isHoldsWhen = (value: string): value is HoldsWhen => (HOLDS_WHEN as readonly string[]).includes(value);

/** The rule every report states beside the points. */
export const HOLDS_RULES: Readonly<Record<HoldsWhen, string>> = {
  expectation:
    'a point holds when every one of its runs was judged and met the expectation; it breaks when any judged run missed it; ' +
    'otherwise it is saturated (a run the harness could not deliver the load for) or unknown, and is never bisected on',
  delivered:
    "a point holds when the harness delivered the scenario's load in every one of its runs (each judged, whether it met the expectation or not); " +
    'it breaks when the harness saturated in any run (could not deliver the load); otherwise it is unknown ' +
    '(a run not judged for another reason: a step not carried out, fleets unread, interrupted), and is never bisected on',
};

/** The tally a point is judged by under the rule: the expectation's, or the load's delivery over its runs. */
export function judgedTally(point: { readonly met: PassTally; readonly runs: readonly RepeatRunEntry[] }, holdsWhen: HoldsWhen): PassTally {
  return holdsWhen === 'delivered' ? deliveryTally(point.runs) : point.met;
}

/** What a run counted in the judged tally did: `passed`, or `delivered`. */
export const judgedVerb = (holdsWhen: HoldsWhen): string => (holdsWhen === 'delivered' ? 'delivered' : 'passed');

/** `3/3 passed, 95% CI 0.44-1.00` or `2/3 delivered, 1 unknown, 95% CI 0.34-1.00`. */
export function formatJudgedTally(tally: PassTally, holdsWhen: HoldsWhen): string {
  if (holdsWhen === 'expectation') return formatTally(tally);
  const interval = tally.runs === 0 ? 'no judged run' : `95% CI ${formatInterval(tally.wilson95)}`;
  return [`${tally.passes}/${tally.runs} delivered`, ...leftOut(tally), interval].join(', ');
}

/** `dedicated expected meets-targets`, or `p2p holds when the harness delivers the load (expected reproduces-outage)`. */
export function sweptSubject(sweep: { readonly architecture: string; readonly expectation: string; readonly holdsWhen: HoldsWhen }): string {
  const expected = `expected ${sweep.expectation}`;
  return sweep.holdsWhen === 'delivered' ? `${sweep.architecture} holds when the harness delivers the load (${expected})` : `${sweep.architecture} ${expected}`;
}

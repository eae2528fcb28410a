import type { PassTally, RepeatRunEntry } from '../verdict/repeat-summary.js';
import { wilsonInterval } from '../verdict/wilson-interval.js';

/**
 * Whether the harness delivered the scenario's load in one run:
 * - `saturated`: it measured that it could not (the run's saturation section says saturated);
 * - `delivered`: not saturated, and the run was judged (verdict pass or fail). `judgeRun` gives a
 *   verdict only to a run that finished, carried out every step and restart, read its fleets and
 *   showed its load figures; pass or fail is the system's, either way the load was delivered;
 * - `unknown`: not saturated, but not judged for another reason (a step not carried out, fleets
 *   unread, the run interrupted or cut short, a target that could not be measured).
 */
export type RunDelivery = 'delivered' | 'saturated' | 'unknown';

export function runDelivery(run: Pick<RepeatRunEntry, 'saturated' | 'verdict'>): RunDelivery {
  if (run.saturated) return 'saturated';
  return run.verdict === 'unknown' ? 'unknown' : 'delivered';
}

/** The name of the delivery tally: the harness's own check of a run's load, as run reports name it. */
export const DELIVERY_TALLY_NAME = 'harness delivered the scenario load';

/**
 * The load's delivery over a point's runs as a pass tally: a delivered run passes, a saturated run
 * fails (its seed among `failingSeeds`), any other is unknown. `saturated` stays 0: here saturation
 * is the failure, not a run left out.
 */
export function deliveryTally(runs: readonly RepeatRunEntry[]): PassTally {
  const deliveries = runs.map(runDelivery);
  const passes = deliveries.filter((delivery) => delivery === 'delivered').length;
  const failingSeeds = runs.filter((_, index) => deliveries[index] === 'saturated').map((run) => run.seed);
  const judged = passes + failingSeeds.length;
  return {
    name: DELIVERY_TALLY_NAME,
    passes,
    fails: failingSeeds.length,
    runs: judged,
    saturated: 0,
    unknown: deliveries.filter((delivery) => delivery === 'unknown').length,
    rate: judged === 0 ? null : passes / judged,
    wilson95: wilsonInterval(passes, judged),
    failingSeeds,
  };
}

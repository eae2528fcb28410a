import type { ScenarioDefinition } from '../../../harness/scenario/types.js';
import { withParamValue } from '../../../harness/sweep/sweep-param.js';
import type { PointRuns, RunPoint } from '../../../harness/sweep/sweep-point.js';
import type { RepeatRunEntry } from '../../../harness/verdict/repeat-summary.js';
import { wilsonInterval } from '../../../harness/verdict/wilson-interval.js';
import type { CheckOutcome } from '../../../harness/verdict/verdict-types.js';
import { skype2010 } from '../../../scenarios/skype-2010.js';

export const SEEDS = [2010, 1101061811, 1859513356] as const;

/** One run's outcome at a point: a verdict, or `saturated` (the harness could not deliver the load). */
export type FakeRun = CheckOutcome | 'saturated';

/** The K runs of a point as `repeatRuns` + `summarizeRepeat` would report them. */
export function pointRuns(outcomes: readonly FakeRun[], dir = 'point'): PointRuns {
  const runs: RepeatRunEntry[] = outcomes.map((outcome, index) => ({
    seed: SEEDS[index] ?? index,
    verdict: outcome === 'saturated' ? 'unknown' : outcome,
    saturated: outcome === 'saturated',
    dir: `${dir}/run-${index}`,
  }));
  const passes = outcomes.filter((o) => o === 'pass').length;
  const failingSeeds = runs.filter((run) => run.verdict === 'fail').map((run) => run.seed);
  const judged = passes + failingSeeds.length;
  return {
    met: {
      name: 'expectation',
      passes,
      fails: failingSeeds.length,
      runs: judged,
      saturated: outcomes.filter((o) => o === 'saturated').length,
      unknown: outcomes.filter((o) => o === 'unknown').length,
      rate: judged === 0 ? null : passes / judged,
      wilson95: wilsonInterval(passes, judged),
      failingSeeds,
    },
    runs,
    dir,
    stoppedEarly: false,
  };
}

/** A fake point runner: `outcomesAt(value)` decides the runs; every call is recorded. */
export function fakeRunner(outcomesAt: (value: number) => readonly FakeRun[]): { run: RunPoint; values: number[] } {
  const values: number[] = [];
  return {
    values,
    run: async ({ index, value }) => {
      values.push(value);
      return pointRuns(outcomesAt(value), `point-${index}-value-${value}`);
    },
  };
}

const all = (outcome: FakeRun): FakeRun[] => [outcome, outcome, outcome];
export const holds = all('pass');
export const breaks = ['pass', 'fail', 'pass'] as const satisfies readonly FakeRun[];
export const saturated = ['pass', 'saturated', 'pass'] as const satisfies readonly FakeRun[];

/** skype-2010 with dedicated boxes of 150 requests/s, the capacity these tests' outcomes are written for. */
export const sweptScenario = withParamValue(skype2010, ['architectures', 'dedicated', 'topology', 'supernode', 'capacity', 'requestsPerSecond'], 150) as ScenarioDefinition;

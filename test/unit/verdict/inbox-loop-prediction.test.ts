import { describe, expect, it } from 'vitest';
import { inboxLoopFigures } from '../../../harness/report/inbox-loop-figures.js';
import { predictInboxLoop } from '../../../harness/verdict/inbox-loop-prediction.js';
import type { ArchitectureVerdict } from '../../../harness/verdict/verdict-types.js';
import type { ScenarioDefinition } from '../../../harness/scenario/types.js';
import { resyncLoop } from '../../../scenarios/resync-loop.js';
import { resyncLoopFixed } from '../../../scenarios/resync-loop-fixed.js';
import { skype2010 } from '../../../scenarios/skype-2010.js';

const withResync = (resyncQueries: number): ScenarioDefinition => ({ ...resyncLoop, load: { ...resyncLoop.load, inboxErrors: { policy: 'full-resync', resyncQueries } } });

describe('the offline store arithmetic', () => {
  it('counts the queries a fleet client (every 5 s) and a peer\'s own client (every 2 s) offer at steady state', () => {
    const p2p = predictInboxLoop(resyncLoop, 'p2p');
    const dedicated = predictInboxLoop(resyncLoop, 'dedicated');
    expect(p2p).toMatchObject({ capacity: 120, steadyQueriesPerSecond: 76 });
    expect(dedicated).toMatchObject({ capacity: 120, steadyQueriesPerSecond: 60, headroom: 2 });
    expect(p2p?.headroom).toBeCloseTo(1.58, 2);
  });

  it('finds resync-loop\'s loop and its edges as its notes state them', () => {
    const p2p = predictInboxLoop(resyncLoop, 'p2p')?.loop;
    expect(p2p?.holds).toBe(true);
    expect(p2p?.onlineInLoop).toBeCloseTo(0.086, 3);
    expect(p2p?.offeredInLoop).toBeCloseTo(1_396, -1);
    expect(p2p?.tippingShare).toBeCloseTo(0.033, 3);
    expect(p2p?.tippingResyncQueries).toBeCloseTo(5.07, 2);
    const dedicated = predictInboxLoop(resyncLoop, 'dedicated')?.loop;
    expect(dedicated?.onlineInLoop).toBeCloseTo(0.112, 3);
    expect(dedicated?.tippingShare).toBeCloseTo(0.06, 2);
    expect(dedicated?.tippingResyncQueries).toBeCloseTo(6.83, 2);
  });

  it('has no loop below the tipping re-sync, at the edge a double root, and one above it', () => {
    const tipping = predictInboxLoop(resyncLoop, 'dedicated')?.loop?.tippingResyncQueries ?? 0;
    expect(predictInboxLoop(withResync(Math.floor(tipping)), 'dedicated')?.loop).toMatchObject({ holds: false, resyncQueries: 6 });
    expect(predictInboxLoop(withResync(Math.ceil(tipping)), 'dedicated')?.loop?.holds).toBe(true);
    expect(predictInboxLoop(withResync(1), 'dedicated')?.loop?.holds).toBe(false);
  });

  it('has no loop when errors are only errors, and no arithmetic for a store without a capacity', () => {
    expect(predictInboxLoop(resyncLoopFixed, 'p2p')).toMatchObject({ steadyQueriesPerSecond: 76 });
    expect(predictInboxLoop(resyncLoopFixed, 'p2p')?.loop).toBeUndefined();
    expect(predictInboxLoop(skype2010, 'p2p')).toBeUndefined();
  });

  it('shows the arithmetic in the report\'s load figures, and nothing without it', () => {
    const run = (definition: ScenarioDefinition): ArchitectureVerdict => ({ load: { predictedInboxLoop: predictInboxLoop(definition, 'p2p') } }) as unknown as ArchitectureVerdict;
    expect(inboxLoopFigures(run(resyncLoop))).toEqual([
      { label: 'offline store: steady, predicted', value: '76 queries/s of 120 queries/s (1.58× headroom)' },
      { label: 're-sync loop, predicted', value: 'holds at 8.6% of clients online, the store offered 1,396 queries/s (re-syncs of 20 queries)' },
      { label: 're-sync loop tips', value: "once 3.3% of clients re-sync at once; from re-syncs of 5.1 queries, which this run's 20 are 3.9×" },
    ]);
    expect(inboxLoopFigures(run(resyncLoopFixed)).map((row) => row.value)).toEqual([
      '76 queries/s of 120 queries/s (1.58× headroom)',
      'none: an error answer is a failed fetch, retried at the next poll',
    ]);
    expect(inboxLoopFigures(run(withResync(4))).at(1)?.value).toBe('none: re-syncs of 4 queries drain');
    expect(inboxLoopFigures({} as ArchitectureVerdict)).toEqual([]);
  });
});

import type { ArchitectureVerdict } from '../verdict/verdict-types.js';
import type { LoadFigure } from './load-figures.js';

const perSecond = (value: number): string => `${Math.round(value).toLocaleString('en-US')} queries/s`;
const share = (value: number): string => `${(value * 100).toFixed(value < 0.1 ? 1 : 0)}%`;

/** The offline store's arithmetic, predicted before the run; no rows when the store has no query capacity. */
export function inboxLoopFigures(run: ArchitectureVerdict): readonly LoadFigure[] {
  const store = run.load?.predictedInboxLoop;
  if (store === undefined) return [];
  const rows: LoadFigure[] = [
    {
      label: 'offline store: steady, predicted',
      value: `${perSecond(store.steadyQueriesPerSecond)} of ${perSecond(store.capacity)} (${store.headroom.toFixed(2)}× headroom)`,
    },
  ];
  const loop = store.loop;
  if (loop === undefined) return [...rows, { label: 're-sync loop, predicted', value: 'none: an error answer is a failed fetch, retried at the next poll' }];
  return [
    ...rows,
    {
      label: 're-sync loop, predicted',
      value:
        loop.holds && loop.onlineInLoop !== undefined && loop.offeredInLoop !== undefined
          ? `holds at ${share(loop.onlineInLoop)} of clients online, the store offered ${perSecond(loop.offeredInLoop)} (re-syncs of ${loop.resyncQueries} queries)`
          : `none: re-syncs of ${loop.resyncQueries} queries drain`,
    },
    {
      label: 're-sync loop tips',
      value: `${loop.tippingShare === undefined ? '' : `once ${share(loop.tippingShare)} of clients re-sync at once; `}from re-syncs of ${loop.tippingResyncQueries.toFixed(1)} queries, which this run's ${loop.resyncQueries} are ${(loop.resyncQueries / loop.tippingResyncQueries).toFixed(1)}×`,
    },
  ];
}

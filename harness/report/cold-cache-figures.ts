import type { ArchitectureVerdict } from '../verdict/verdict-types.js';
import type { LoadFigure } from './load-figures.js';

const times = (value: number): string => `${value.toFixed(2)}×`;
const perSecond = (value: number): string => `${value.toFixed(1)} queries/s`;

/** The start-up cache's arithmetic, predicted before the run; no rows when the supernodes keep no start-up cache. */
export function coldCacheFigures(run: ArchitectureVerdict): readonly LoadFigure[] {
  const cache = run.load?.predictedColdCache;
  if (cache === undefined) return [];
  const asked = cache.fanOut === 'all-shards' ? `every one of ${cache.stores} stores` : "the user's own store";
  return [
    {
      label: 'start-up misses: ramp, predicted',
      value:
        (cache.prewarmed
          ? `caches warm from before the run: the logins ask no store; their inbox reads are ${times(cache.rampLoadOnInboxStore)} the ${perSecond(cache.storeCapacity)} of the store that answers them; `
          : `${times(cache.rampLoad)} a store's ${perSecond(cache.storeCapacity)} (${times(cache.rampLoadOnInboxStore)} on the store that also answers logins' inbox reads); `) +
        `its spare carries ${Math.round(cache.rampCarriesFailingClients)} clients failing at once`,
    },
    {
      label: 'start-up misses: storm, predicted',
      value:
        `${Math.round(cache.displacedClients)} displaced clients, ${cache.stormMissesPerSecond.toFixed(1)} misses/s, each asking ${asked}: ` +
        `${times(cache.stormLoad)} a store, ${cache.stormLoad > 1 ? 'never drains' : 'drains'}`,
    },
    ...(run.load?.deepestStoreQueue === undefined
      ? []
      : [
          {
            label: 'start-up misses: deepest server queue, measured',
            value: `${run.load.deepestStoreQueue.toLocaleString('en-US')} queries, ${(run.load.deepestStoreQueue / cache.storeCapacity).toFixed(1)} s of work (a miss waits ${(cache.queryTimeoutMs / 1_000).toFixed(1)} s)`,
          },
        ]),
    {
      label: 'start-up misses tip',
      value: `from ${Math.round(cache.tippingDisplacedClients)} displaced clients, which this run's ${Math.round(cache.displacedClients)} are ${times(cache.displacedClients / cache.tippingDisplacedClients)}`,
    },
  ];
}

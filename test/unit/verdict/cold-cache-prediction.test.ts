import { describe, expect, it } from 'vitest';
import { coldCacheFigures } from '../../../harness/report/cold-cache-figures.js';
import { predictColdCache } from '../../../harness/verdict/cold-cache-prediction.js';
import type { ArchitectureVerdict } from '../../../harness/verdict/verdict-types.js';
import type { ScenarioDefinition } from '../../../harness/scenario/types.js';
import { coldCache } from '../../../scenarios/cold-cache.js';
import { coldCacheFixed } from '../../../scenarios/cold-cache-fixed.js';
import { skype2010 } from '../../../scenarios/skype-2010.js';

const withRestartedShare = (fraction: number): ScenarioDefinition => ({
  ...coldCache,
  timeline: coldCache.timeline.map((step) =>
    step.action.do === 'crash' ? { ...step, action: { ...step.action, target: { nodes: { group: 'supernodes', fraction } } } } : step,
  ),
});

describe('the start-up cache arithmetic', () => {
  it('finds the ramp well inside the stores and the storm 1.6x over each, on both architectures', () => {
    for (const architecture of ['p2p', 'dedicated'] as const) {
      const prediction = predictColdCache(coldCache, architecture);
      expect(prediction).toMatchObject({ fanOut: 'all-shards', stores: 4, storeCapacity: 20, displacedClients: 75, attemptCycleMs: 2_300 });
      expect(prediction?.stormMissesPerSecond).toBeCloseTo(32.6, 1);
      expect(prediction?.stormLoad).toBeCloseTo(1.63, 2);
      expect(prediction?.tippingDisplacedClients).toBeCloseTo(46, 0);
    }
    expect(predictColdCache(coldCache, 'p2p')?.rampLoad).toBeCloseTo(0.37, 2);
    expect(predictColdCache(coldCache, 'p2p')?.rampLoadOnInboxStore).toBeCloseTo(0.74, 2);
    expect(predictColdCache(coldCache, 'dedicated')?.rampLoadOnInboxStore).toBeCloseTo(0.67, 2);
  });

  it('puts the edge between an eighth and a quarter of the supernodes restarted', () => {
    expect(predictColdCache(withRestartedShare(0.125), 'dedicated')?.stormLoad).toBeLessThan(1);
    expect(predictColdCache(withRestartedShare(0.1875), 'p2p')?.stormLoad).toBeGreaterThan(1);
  });

  it('drains under the fix: one store a miss, and the throttle caps the misses', () => {
    const fixed = predictColdCache(coldCacheFixed, 'p2p');
    expect(fixed).toMatchObject({ fanOut: 'owner-shard', stormMissesPerSecond: 15 });
    expect(fixed?.stormLoad).toBeCloseTo(0.19, 2);
    expect(fixed?.tippingDisplacedClients).toBeCloseTo(184, 0);
  });

  it('has no arithmetic for supernodes without a start-up cache', () => {
    expect(predictColdCache(skype2010, 'p2p')).toBeUndefined();
  });

  it('shows the arithmetic in the report\'s load figures, and nothing without it', () => {
    const run = (definition: ScenarioDefinition): ArchitectureVerdict => ({ load: { predictedColdCache: predictColdCache(definition, 'dedicated') } }) as unknown as ArchitectureVerdict;
    expect(coldCacheFigures(run(coldCache))).toEqual([
      { label: 'start-up misses: ramp, predicted', value: "0.33× a store's 20.0 queries/s (0.67× on the store that also answers logins' inbox reads)" },
      { label: 'start-up misses: storm, predicted', value: '75 displaced clients, 32.6 misses/s, each asking every one of 4 stores: 1.63× a store, never drains' },
      { label: 'start-up misses tip', value: "from 46 displaced clients, which this run's 75 are 1.63×" },
    ]);
    const measured = { load: { predictedColdCache: predictColdCache(coldCache, 'p2p'), deepestStoreQueue: 1_210 } } as unknown as ArchitectureVerdict;
    expect(coldCacheFigures(measured).at(2)).toEqual({ label: 'start-up misses: deepest server queue, measured', value: '1,210 queries, 60.5 s of work (a miss waits 0.3 s)' });
    expect(coldCacheFigures(run(coldCacheFixed)).at(1)?.value).toBe("75 displaced clients, 15.0 misses/s, each asking the user's own store: 0.19× a store, drains");
    expect(coldCacheFigures({} as ArchitectureVerdict)).toEqual([]);
  });
});

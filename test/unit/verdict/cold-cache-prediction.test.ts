import { describe, expect, it } from 'vitest';
import { coldCacheFigures } from '../../../harness/report/cold-cache-figures.js';
import { predictColdCache } from '../../../harness/verdict/cold-cache-prediction.js';
import type { ArchitectureVerdict } from '../../../harness/verdict/verdict-types.js';
import type { ScenarioDefinition } from '../../../harness/scenario/types.js';
import { coldCache, scatterRead } from '../../../scenarios/cold-cache.js';
import { coldCacheFixed } from '../../../scenarios/cold-cache-fixed.js';
import { skype2010 } from '../../../scenarios/skype-2010.js';

const withRestartedShare = (fraction: number): ScenarioDefinition => ({
  ...coldCache,
  timeline: coldCache.timeline.map((step) =>
    step.action.do === 'crash' ? { ...step, action: { ...step.action, target: { nodes: { group: 'supernodes', fraction } } } } : step,
  ),
});

describe('the start-up cache arithmetic', () => {
  it('finds the ramp well inside the stores and the storm 2.36x over each, on both architectures', () => {
    for (const architecture of ['p2p', 'dedicated'] as const) {
      const prediction = predictColdCache(coldCache, architecture);
      expect(prediction).toMatchObject({ fanOut: 'all-shards', stores: 4, displacedClients: 75, queryTimeoutMs: 300, attemptCycleMs: 1_000, attemptSpacingMs: 1_000 });
      expect(prediction?.storeCapacity).toBeCloseTo(23.8, 1);
      // A quarter of the host cache names supernodes that are gone: three attempts in four are misses.
      expect(prediction?.stormMissesPerSecond).toBeCloseTo(56.25, 2);
      expect(prediction?.stormLoad).toBeCloseTo(2.36, 2);
      expect(prediction?.tippingDisplacedClients).toBeCloseTo(31.7, 1);
    }
    // The caches are warm from before the run: the ramp's logins ask no store, only their inbox reads load store 0.
    const p2p = predictColdCache(coldCache, 'p2p');
    expect(p2p).toMatchObject({ prewarmed: true, rampLoad: 0 });
    expect(p2p?.rampLoadOnInboxStore).toBeCloseTo(0.22, 2);
    expect(p2p?.rampCarriesFailingClients).toBeCloseTo(18.5, 1);
    expect(predictColdCache(coldCache, 'dedicated')?.rampLoadOnInboxStore).toBeCloseTo(0.21, 2);
  });

  it('puts every login of a cold ramp on every store: the second design, whose ramp carried only 19 clients failing at once', () => {
    const cold = (architecture: 'p2p' | 'dedicated'): ScenarioDefinition => {
      const run = coldCache.architectures[architecture];
      if (run === undefined) throw new Error(`cold-cache has ${architecture}`);
      const cache = { ...scatterRead, prewarmed: false };
      const secondDesignStores = { workers: 1, serviceTimeMs: 33 };
      const secondDesignSupernodes = architecture === 'p2p' ? 32 : run.topology.supernodes;
      const topology = { ...run.topology, supernodes: secondDesignSupernodes, offlineMessages: secondDesignStores, supernode: { ...run.topology.supernode, startupCache: cache } };
      return { ...coldCache, architectures: { [architecture]: { ...run, topology } } };
    };
    const p2p = predictColdCache(cold('p2p'), 'p2p');
    expect(p2p?.prewarmed).toBe(false);
    expect(p2p?.rampLoad).toBeCloseTo(0.18, 2);
    expect(p2p?.rampLoadOnInboxStore).toBeCloseTo(0.37, 2);
    expect(p2p?.rampCarriesFailingClients).toBeCloseTo(19.2, 1);
    expect(predictColdCache(cold('dedicated'), 'dedicated')?.rampLoadOnInboxStore).toBeCloseTo(0.33, 2);
    expect(predictColdCache(cold('p2p'), 'p2p')?.stormLoad).toBeCloseTo(1.86, 2);
  });

  it('puts the edge between 1 and 2 peers of 16 restarted', () => {
    expect(predictColdCache(withRestartedShare(0.0625), 'p2p')?.stormLoad).toBeLessThan(1);
    expect(predictColdCache(withRestartedShare(0.125), 'p2p')?.stormLoad).toBeGreaterThan(1);
  });

  it("counts an attempt at a supernode that is gone as the clients' request timeout: with the default 5 s the storm's first seconds offer half the misses", () => {
    const { requestTimeoutMs: _shipped, ...defaultWait } = coldCache.load;
    const prediction = predictColdCache({ ...coldCache, load: defaultWait }, 'p2p');
    expect(prediction).toMatchObject({ attemptCycleMs: 1_000, attemptSpacingMs: 2_000, stormMissesPerSecond: 28.125 });
    expect(prediction?.stormLoad).toBeCloseTo(1.18, 2);
  });

  it('drains under the fix: one store a miss, and the throttle caps the misses', () => {
    const fixed = predictColdCache(coldCacheFixed, 'p2p');
    expect(fixed).toMatchObject({ fanOut: 'owner-shard', stormMissesPerSecond: 15 });
    expect(fixed?.stormLoad).toBeCloseTo(0.16, 2);
    expect(fixed?.tippingDisplacedClients).toBeCloseTo(127.0, 1);
  });

  it('has no arithmetic for supernodes without a start-up cache', () => {
    expect(predictColdCache(skype2010, 'p2p')).toBeUndefined();
  });

  it('shows the arithmetic in the report\'s load figures, and nothing without it', () => {
    const run = (definition: ScenarioDefinition): ArchitectureVerdict => ({ load: { predictedColdCache: predictColdCache(definition, 'dedicated') } }) as unknown as ArchitectureVerdict;
    expect(coldCacheFigures(run(coldCache))).toEqual([
      {
        label: 'start-up misses: ramp, predicted',
        value: "caches warm from before the run: the logins ask no store; their inbox reads are 0.21× the 23.8 queries/s of the store that answers them; its spare carries 19 clients failing at once",
      },
      { label: 'start-up misses: storm, predicted', value: '75 displaced clients, 56.3 misses/s, each asking every one of 4 stores: 2.36× a store, never drains' },
      { label: 'start-up misses tip', value: "from 32 displaced clients, which this run's 75 are 2.36×" },
    ]);
    const measured = { load: { predictedColdCache: predictColdCache(coldCache, 'p2p'), deepestStoreQueue: 1_210 } } as unknown as ArchitectureVerdict;
    expect(coldCacheFigures(measured).at(2)).toEqual({ label: 'start-up misses: deepest server queue, measured', value: '1,210 queries, 50.8 s of work (a miss waits 0.3 s)' });
    expect(coldCacheFigures(run(coldCacheFixed)).at(1)?.value).toBe("75 displaced clients, 15.0 misses/s, each asking the user's own store: 0.16× a store, drains");
    expect(coldCacheFigures({} as ArchitectureVerdict)).toEqual([]);
  });
});

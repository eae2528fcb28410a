import { defineScenario } from '../harness/scenario/define-scenario.js';
import type { SupernodeStartupCache } from '../harness/scenario/types.js';
import { coldCache, scatterRead } from './cold-cache.js';

/** Registrations a fleet lets through a second: 15 for the network, 2.7x the ramp's 5.5 logins a second. */
export const startupsPerFleetPerSecond = 5;

/** The fix's start-up read: only the user's own store, which holds what the cache is missing. */
const ownStoreRead: SupernodeStartupCache = { ...scatterRead, fanOut: 'owner-shard' };

/**
 * Counterfactual: cold-cache's rollout step on the same networks, with the two fixes Slack made: client
 * boots are throttled (each fleet lets 5 registrations a second through) and a miss reads only what is
 * missing, from the user's own store. The prediction, before any run: the 75 or so displaced clients
 * come back through the throttle at 15 a second, each miss one query on one store: under 4 queries a
 * second a store, 0.16x. Every registration at a live supernode completes, so the restarted quarter's
 * clients are back on other supernodes within about 5 s of throttle plus their 1 s retries (0.6 scenario
 * hours), the last ones, sent to supernodes that are gone, a few retries later.
 * The low point is the quarter itself, fixed or not, so no floor can tell them apart; the time to
 * re-home and to recover can. Its controls put the scatter read back and lift the throttle.
 */
export const coldCacheFixed = defineScenario({
  ...coldCache,
  name: 'cold-cache-fixed',
  description:
    'Counterfactual of cold-cache: the same rollout step restarts a quarter of the supernodes, but fleets ' +
    'throttle registrations and a miss reads only the user\'s own store. The displaced clients are back in seconds.',
  load: { ...coldCache.load, startupThrottle: { perSecond: startupsPerFleetPerSecond } },
  architectures: Object.fromEntries(
    Object.entries(coldCache.architectures).map(([architecture, run]) => [
      architecture,
      {
        topology: { ...run.topology, supernode: { ...run.topology.supernode, startupCache: ownStoreRead } },
        expectation: 'meets-targets',
        // Predicted back in about 0.6 h; a scatter read never comes back. Re-homed counts the last
        // stragglers too (at most 2 left): a first run took 1.46 h on p2p, a client that met dead
        // supernodes in its host cache. A crashed supernode returns at 4 h; its clients must be
        // re-homed before that to count.
        targets: { rehomeWithin: '3h', recoveryWithin: '3h', recoveryHold: '1h' },
      },
    ]),
  ),
  controls: (['p2p', 'dedicated'] as const).map((architecture) => ({
    name: architecture === 'p2p' ? 'scatter-read-unthrottled' : 'scatter-read-unthrottled-on-dedicated',
    architecture,
    sabotages: 'a miss asks every store again, and registrations go unthrottled, as before the fix',
    set: { [`architectures.${architecture}.topology.supernode.startupCache`]: scatterRead, 'load.startupThrottle': { perSecond: 100_000 } },
    mustBreak: ['rehomeWithin', 'recoveryWithin'] as const,
  })),
});

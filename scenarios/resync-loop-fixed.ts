import { defineScenario } from '../harness/scenario/define-scenario.js';
import { resyncLoop, resyncQueries } from './resync-loop.js';

/**
 * Counterfactual: resync-loop's stall on the same networks, with the fix Facebook made permanent: the
 * system that "corrected" what it took for invalid is off, so an error answer is a failed fetch, tried
 * again at the next poll. The prediction, before any run: on resuming, the store refuses the same
 * backlog, but nothing multiplies it; the clients' next polls come spread over 5 s at the steady 76 (p2p)
 * or 60 queries a second, 1.6x and 2x under the store's 120, and no client ever stops showing its
 * messages, so online never leaves 100%. Its control puts the re-sync back.
 */
export const resyncLoopFixed = defineScenario({
  ...resyncLoop,
  name: 'resync-loop-fixed',
  description:
    'Counterfactual of resync-loop: the same stall of the offline-message store, but clients take an ' +
    'error for a failed fetch and wait for their next poll. The stall passes without an outage.',
  load: { ...resyncLoop.load, inboxErrors: { policy: 'wait' } },
  architectures: Object.fromEntries(
    Object.entries(resyncLoop.architectures).map(([architecture, run]) => [
      architecture,
      {
        topology: run.topology,
        expectation: 'meets-targets',
        // Lookups go through the supernodes, which the loop never touches: no target here could catch the store.
        targets: { recoveryWithin: '1h', recoveryHold: '1h', availabilityFloor: 0.9 },
      },
    ]),
  ),
  controls: (['p2p', 'dedicated'] as const).map((architecture) => ({
    name: architecture === 'p2p' ? 'resync-back' : 'resync-back-on-dedicated',
    architecture,
    sabotages: `a client takes an error for an invalid inbox again and re-reads it in ${resyncQueries} queries`,
    set: { 'load.inboxErrors': { policy: 'full-resync', resyncQueries } },
    mustBreak: ['availabilityFloor', 'recoveryWithin'] as const,
  })),
});

import { defineScenario } from '../harness/scenario/define-scenario.js';
import { partition } from './partition.js';
import { backedOffReconnect, backoffSkipped, clockForBackedOffRetries, withLeastLoadedAllocation } from './skype-2007-fixed.js';

const p2p = partition.architectures.p2p;
if (p2p === undefined) throw new Error('partition must define its p2p architecture');

/**
 * Counterfactual: partition's cut on the same p2p network with the fixes AWS named: the nodes' retry
 * logic backs off instead of searching on, and new work goes where there is room. Here clients back off
 * (full jitter, 30 s doubling to 120 s, as in skype-2010-backoff) and login hands out the least-loaded
 * supernodes first (as in skype-2007-fixed).
 *
 * A first design throttled the re-homing instead (2 registrations a second a fleet, a server-side
 * release) and predicted the busiest peer left at 1.03x its capacity: at the edge. It lost a peer in
 * one of its first three runs. The busiest peers already carry 0.7-0.8x their capacity at steady state,
 * and a throttle that spaces the network's registrations does not space one peer's: the peer that fell
 * took a quarter of them.
 *
 * The prediction, before any run: a backed-off storm peaks in its first wave, each of the ~170 displaced
 * clients retrying once within 30 s, about 6 attempts a second for the network: 0.81x a survivor's
 * capacity on average, and 1.13x on the busiest in 19 networks in 20 while the cut lasts. The busiest
 * peer goes over for a window or two; self-protection waits 6 s of overload, and the cut heals 2 s in,
 * so most retries land anywhere in the network. The loss is predicted to stay the cut: no peer shuts
 * itself off, and the displaced clients are back within about 30 s (15 scenario hours).
 */
export const partitionFixed = defineScenario({
  ...partition,
  name: 'partition-fixed',
  description:
    'Counterfactual of partition: the same cut on the same p2p network, but clients back off with jitter ' +
    'and login allocates the least-loaded supernodes. The cut costs its clients for a while, and nothing more.',
  ...clockForBackedOffRetries,
  load: { ...partition.load, reconnect: backedOffReconnect },
  architectures: {
    p2p: {
      topology: withLeastLoadedAllocation(p2p.topology),
      expectation: 'meets-targets',
      targets: {
        // Without a cascade the low point is the cut's clients away: about 1 - 0.5. A cascade goes to 0-0.1.
        availabilityFloor: 0.3,
        // No cascade: a tenth of the peers at most. Seed 7 on the local platform lost one peer of 33 with the
        // harness delivering (0.03); five Docker runs lost none; without the backoff every peer is lost (1).
        maxSupernodeLossTotal: 0.1,
        // The displaced clients' first retries come within 30 s (15 h), and a client a busy peer refused
        // retries within 60 s more. At a cut of 0.375 five runs were back in 14.3-14.9 h; at 0.5, in
        // 18.8-26.3 h (second retries). 36 h leaves the slowest 1.4x, and the 2 h hold inside the 40 h run.
        recoveryWithin: '36h',
        recoveryHold: '2h',
      },
    },
  },
  timeline: partition.timeline,
  controls: [backoffSkipped('before the fix', ['availabilityFloor', 'maxSupernodeLossTotal', 'recoveryWithin'])],
});

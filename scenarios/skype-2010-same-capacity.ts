import { defineScenario } from '../harness/scenario/define-scenario.js';
import { skype2010, skype2010Controls } from './skype-2010.js';

const p2p = skype2010.architectures.p2p;
const dedicated = skype2010.architectures.dedicated;
if (p2p === undefined || dedicated === undefined) throw new Error('skype-2010 must define both architectures');

/** The p2p network's capacity, spread over the dedicated network's boxes. */
const boxes = dedicated.topology.supernodes;
const peerCapacity = p2p.topology.supernode.capacity;
const peers = p2p.topology.supernodes;
const sameTotal = {
  sessions: Math.floor((peers * peerCapacity.sessions) / boxes),
  requestsPerSecond: (peers * peerCapacity.requestsPerSecond) / boxes,
};

/**
 * skype-2010's capacity regression leaves a box 4.8 requests/s, 40% of its 12, and is caught. 40% of
 * these boxes' 8 is 3.2, less than the clients' ramp needs: the sabotaged network never reached the
 * steady state, so none of the targets it must break was measured. The same 4.8 (60% of 8, a
 * regression of 1.67x) keeps the control what it is in skype-2010: a network that reaches the steady
 * state and cannot hold the storm (7.5 held, 6 collapsed).
 */
const skype2010RegressedBox = 4.8;

/**
 * The fair comparison: skype-2010 with the dedicated network given exactly the p2p network's total
 * capacity (32 peers of 60 sessions and 2 requests/s: 8 boxes of 240 sessions and 8 requests/s),
 * instead of boxes provisioned by their own rule. The standby peers p2p may promote are not counted.
 *
 * What it asks: was 2010 a shortage of capacity, or capacity placed where the bug and the retry storm
 * could take it down? The dedicated network is expected to meet its targets, since 8 requests/s is
 * above the breaking point chaos sweep found (7.5 held in every run, 6 collapsed); with a margin of
 * 1.07x it is a comparison, not a gate with room to spare.
 */
export const skype2010SameCapacity = defineScenario({
  ...skype2010,
  name: 'skype-2010-same-capacity',
  description:
    'Variant of skype-2010: the dedicated network has exactly the total capacity of the p2p network ' +
    '(8 boxes of 240 sessions and 8 requests/s against 32 peers of 60 and 2). Same trigger, same storm, ' +
    'both architectures side by side.',
  architectures: {
    p2p,
    dedicated: {
      ...dedicated,
      topology: { ...dedicated.topology, supernode: { ...dedicated.topology.supernode, capacity: sameTotal } },
    },
  },
  controls: skype2010Controls(sameTotal.requestsPerSecond, skype2010RegressedBox),
});

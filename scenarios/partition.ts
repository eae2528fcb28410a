import { defineScenario } from '../harness/scenario/define-scenario.js';
import { skype2010 } from './skype-2010.js';
import { boxCapacityRegression, networkOf2010WithoutTheBug as network, noSelfProtection } from './skype-2007.js';


/** The share of the supernodes the partition cuts off from every client: 16 of 32 peers, 4 of 8 boxes. */
export const partitionedShare = 0.5;

/**
 * The boxes' edge under this cut: a sweep of their request capacity at a cut of 0.375 lost every box at
 * 8 requests a second, and 12 (skype-2010's boxes) absorbed cuts of 0.375 and 0.5 in every run. Swept
 * again at the half cut: every box lost at 6, the cut absorbed at 12 and 18 (bench/sweeps.json).
 */
const boxesHeldTheCutAt = 12;

/** A hosted fleet is sized to lose a zone: 1.5x the capacity that held the cut, as skype-2010's boxes get 1.6x their storm's edge. */
const zoneLossHeadroom = 1.5;

/** skype-2010's boxes, provisioned for losing half of themselves to a partition. */
const boxesSizedForTheCut = {
  ...network.dedicatedTopology,
  supernode: {
    ...network.dedicatedTopology.supernode,
    capacity: { ...network.dedicatedTopology.supernode.capacity, requestsPerSecond: boxesHeldTheCutAt * zoneLossHeadroom },
  },
};

/**
 * April 21, 2011 (AWS, "Summary of the Amazon EC2 and Amazon RDS Service Disruption in the US East
 * Region"): a network change meant to add capacity sent an Availability Zone's EBS traffic onto a
 * network that could not carry it, and a large share of its storage nodes lost their replicas. When the
 * change was rolled back, every one of those nodes searched the cluster for space to re-mirror at once:
 * the free capacity was gone at once, and the nodes kept searching ("a re-mirroring storm"), about 13%
 * of the zone's volumes stuck. The network was whole again; the storm was not over. AWS stopped the
 * re-mirroring, added capacity, and released the stuck volumes slowly, over days.
 *
 * Here a partition cuts every client off from half the supernodes for an hour; those supernodes run
 * on, but each of their clients re-homes at once onto the rest, retrying every 2 s as skype-2010's
 * clients do, and a supernode over its request capacity shuts itself off, displacing its own clients in
 * turn. The peers are skype-2010's, calibrated there; the boxes are skype-2010's sized to lose a zone.
 *
 * The arithmetic, before any run (`predictOfferedLoad`, in every report): p2p, the 16 cut peers'
 * ~170 clients retry on the 16 left, each an attempt (two requests) every 2 s: 5.8x a
 * survivor's 2 requests a second on average, 10.5x on the busiest in 19 networks in 20. Dedicated,
 * the 4 cut boxes' ~150 clients on the 4 left: 2.3x a box's 18 on average, 3x on
 * the busiest. The arithmetic takes every displaced client as retrying until admitted; a box admits most
 * of them at their first attempt, before its 5 s load window fills (about 37 clients a box, 75 requests:
 * 15 a second over the window, under its 18), and the storm drains in one pass. A peer cannot: 170
 * clients on 16 peers are 21 requests a peer in one pass, 4.3 a second over the window against its 2.
 * - Where it tips: the first design cut 0.375 of the supernodes, and its sweeps (bench/sweeps.json) put
 *   p2p's tipping point between 0.3 and 0.375 (at 0.3 one cascade in two came too late for the
 *   signature) and the boxes' edge between 8 and 12 requests a second; no one cut was 1.5x from both.
 *   The cut is now half the supernodes and the boxes carry 1.5x what held it. Swept again on p2p, a cut
 *   of 10 peers (0.3125) reproduced the outage in both runs; with the first design's sweeps on the same
 *   seeds, 8 peers met the signature in 0 runs of 2, 10 in 3 of 4, 12 in 7 of 7: the shipped 16 is 1.6x
 *   above 10 and 1.3x above 12 (docs/partition.md).
 */
export const partition = defineScenario({
  name: 'partition',
  description:
    'April 2011: a partition cuts every client off from half the supernodes for an hour; their ' +
    'clients all re-home at once onto the rest, and the peers left shut themselves off under the storm, ' +
    'which outlives the partition. Run against the p2p network of 2011 and the dedicated supernodes of 2012.',
  source: {
    outage: 'Amazon EBS (US East), 21 April 2011',
    date: '2011-04-21',
    reference: 'Amazon Web Services, "Summary of the Amazon EC2 and Amazon RDS Service Disruption in the US East Region", aws.amazon.com/message/65648, 29 April 2011',
  },
  // AWS gave the share stuck (13% of the zone's volumes) and a storm that outlived the network fault;
  // the zone's volumes came back over days, once capacity was added. The run stops at 20 h.
  fidelity: [
    { quantity: 'online users at the low point, share of normal', published: 'about 87% of the zone\'s volumes working (13% stuck)', expected: 0.87, measure: { of: 'online-low-point' } },
    { quantity: 'scenario hours below 90% of normal online', published: 'stuck volumes stayed stuck after the network was restored, until capacity was added: days', expected: 20, measure: { of: 'hours-below', fraction: 0.9 } },
  ],
  timeScale: skype2010.timeScale,
  seed: 2011,
  load: network.load,
  architectures: {
    p2p: {
      topology: network.p2pTopology,
      expectation: 'reproduces-outage',
      targets: {},
      // The storm outlives the partition: peers go on shutting themselves off after the network is whole.
      // Without a cascade the low point is the cut's half of the clients away; a cascade goes to 0-2%.
      outage: { maxOnlineLowPoint: 0.25, maxMeanOnline: 0.5, cascadeContinuesAfterHeal: true },
    },
    dedicated: {
      topology: boxesSizedForTheCut,
      expectation: 'meets-targets',
      targets: {
        // The first design's boxes were back at 95% 2.7-4.1 scenario hours after the cut; the cut itself lasts 1 h.
        recoveryWithin: '8h',
        recoveryHold: '2h',
        // The cut boxes' clients (half of them) are away at worst; a cascade goes to 0-3%.
        availabilityFloor: 0.35,
        maxSupernodeLossTotal: 0,
        minLookupSuccessAfterRecovery: 0.97,
      },
    },
  },
  steadyState: skype2010.steadyState,
  timeline: [
    { at: '0h', action: { do: 'mark', label: 'a network change partitions the supernodes' } },
    { at: '0h', action: { do: 'cut', id: 'partition', target: { links: { from: 'clients', to: { group: 'supernodes', fraction: partitionedShare } } } } },
    { at: '1h', action: { do: 'heal', id: 'partition' } },
    { at: '1h', action: { do: 'mark', label: 'the change rolled back: the network whole again' } },
  ],
  duration: '20h',
  sampleEveryMs: 1_000,
  abortWhen: [],
  rollbacks: [],
  controls: [noSelfProtection('the cut', ['maxOnlineLowPoint', 'maxMeanOnline', 'cascadeContinuesAfterHeal']), boxCapacityRegression(boxesSizedForTheCut.supernode.capacity.requestsPerSecond)],
});

import { defineScenario } from '../harness/scenario/define-scenario.js';
import type { SupernodeStartupCache, SupernodeTuning, TopologySpec } from '../harness/scenario/types.js';
import { boxWithRequestsToSpare, peerWithRequestsToSpare } from './directory-storm.js';

const fixedVersion = '5.0.0.156';

/**
 * One worker at 42 ms a query: each of the four offline stores answers 24 queries a second, in order, however late.
 * Swept with the rest as shipped, the storm held in every run down to 26 ms and drained at 10 ms
 * (docs/cold-cache.md): 42 ms is 1.6x from the last point that held.
 */
export const storeServiceTimeMs = 42;

/** The share of the supernodes a rollout step restarts at once. */
export const restartedShare = 0.25;

/** How long a supernode waits for the stores to answer a start-up query. */
export const startupQueryTimeoutMs = 300;

/**
 * A start-up read that asks every store: each user's state is spread over the user-sharded keyspace.
 * The caches held their users before the run (the network had been up for months), so the ramp's
 * logins ask no store; only a supernode restarted by the rollout step, and a user new to a supernode
 * after the steady state, miss.
 */
export const scatterRead: SupernodeStartupCache = { fanOut: 'all-shards', queryTimeoutMs: startupQueryTimeoutMs, owner: 'user-hash', prewarmed: true };

const withScatterRead = (tuning: SupernodeTuning): SupernodeTuning => ({ ...tuning, startupCache: scatterRead });

/**
 * directory-storm's peer serves 8 s after it starts; here 2 s, as a box does. The ramp's clients that
 * reach a peer still joining come back together when it serves: 8 s of them (about 45) came back as
 * one burst of misses past the ramp's tipping point, and the ramp itself became the storm.
 */
const peerServingSoon: SupernodeTuning = { ...peerWithRequestsToSpare, rejoinDelayMs: 2_000 };

/**
 * 16 peers, not the 32 of the other p2p networks: with 32 beside the dedicated network, the rollout
 * step's 8 kills and the storm after them loaded the 2-core host until the fleets' event loops stalled.
 * 16 peers serve 300 clients with room (19 each, 60 allowed), and a quarter of them is still 4 peers and
 * 75 clients.
 */
const peers = 16;

const stores: Pick<TopologySpec, 'offlineMessageServers' | 'offlineMessages' | 'fleets' | 'clientsPerFleet'> = {
  offlineMessageServers: 4,
  offlineMessages: { workers: 1, serviceTimeMs: storeServiceTimeMs },
  fleets: 3,
  clientsPerFleet: 100,
};

/**
 * February 22, 2022 (Laura Nolan, "Slack's Incident on 2-22-22"): a percentage-based rollout restarted
 * the Consul agent on 25% of hosts at a time; on the memcached hosts among them the cache control plane
 * swapped each briefly absent node for an empty spare. Client boots missed the cache, and a boot query
 * over a user-sharded keyspace then asked every database shard (a scatter query). The shards were
 * overwhelmed, the queries timed out, so nothing was cached and the misses never ended: many users could
 * not connect for about 5 hours from just after 6 a.m. PT. Slack throttled client boots, rewrote the
 * query to read only what was missing (and from replicas), then raised the boot limit step by step.
 *
 * Here each supernode keeps a start-up cache in memory: a client's registration waits for its state,
 * from the cache or from the four offline stores (24 queries a second each, one at a time, in order,
 * serving a query even when its asker has gone). A miss asks every store (the state is sharded by user)
 * and waits 0.3 s; a store late or erring fails the registration, nothing is cached, and the client tries
 * again 1 s after its attempt began, on its next supernode, cold for it too. Clients read their inbox
 * only at login, and wait 1 s for any answer. The caches held their users before the run (the network
 * had been up for months): the ramp's logins ask no store, and only what happens after the steady state
 * misses.
 *
 * The arithmetic, before any run (harness/verdict/cold-cache-prediction.ts, pinned by a unit test):
 * - Ramp: 300 fleet clients (and on p2p 16 peers' own) log in over 60 s, every one a hit on a cache warm
 *   from before the run; only store 0 works, answering each login's inbox read: 0.22x. Its spare 18
 *   queries a second would carry 18 clients failing at once (each back every 1 s); none fails.
 *   (Cold, as the second design was with stores of 30 queries a second, every login is a miss on every
 *   store: 0.37x on store 0, a spare of 19 failing clients, and on local processes beside the rest of a test suite a burst larger than
 *   that tipped the p2p ramp into the storm before the trigger.)
 * - The rollout step crashes a quarter of the supernodes (4 of 16 peers, 2 of 8 boxes) and brings them
 *   back 40 s (4 h) later, empty. About 75 clients lose their supernode. Each tries again every 1 s; a
 *   quarter of its host cache names supernodes that are gone (an attempt there asks no store), so 56
 *   misses a second, and under the scatter read every one reaches every store: 2.36x what a store
 *   serves. The queues grow, every answer comes later than 0.3 s, so no registration completes and the
 *   misses go on: a quarter of the network stays away. Once the clients log in again for fresh host
 *   caches every attempt is a miss (3.15x). Asking each user's own store, a store is offered a quarter of
 *   the misses, 0.59x, and the storm drains at once.
 * - Where it tips: the misses outgrow a store from 24 / 0.75 = 32 displaced clients (11% of the network):
 *   the quarter restarted is 2.36x that. Neither architecture helps: boxes start cold too.
 * - The 1 s wait matters: a supernode that is gone answers nothing on Docker (no route to its address
 *   for 3-4 s), so with the clients' default 5 s wait a quarter of the attempts took seconds and the
 *   storm's first seconds offered a store about 28 misses a second (0.93x of the 30 a second the stores
 *   then served; 1.18x of these): one p2p run in five drained
 *   there, and the others' queues shrank before the refreshed host caches made them grow.
 * - A first design (stores of 20 a second, retries every 2 s, a 45 s ramp, peers serving after 8 s) put
 *   the ramp at 0.74x of store 0 and tipped in its ramp in 2 of 3 p2p runs: the steady state was never
 *   reached. This one keeps the storm far over the stores (2.36x) and the ramp far under them (0.22x).
 *   The fourth design's stores of 30 queries a second (33 ms) were only 1.2x from the last swept point
 *   where its storm held (27.25 ms).
 */
export const coldCache = defineScenario({
  name: 'cold-cache',
  description:
    'February 2022: a rollout step restarts a quarter of the supernodes, and they come back with empty ' +
    'start-up caches. Every miss reads from all four offline stores, which fall behind; late answers fail ' +
    'the registrations, nothing is cached, and the displaced clients never get back in. Run against both ' +
    'architectures: hosted boxes restart cold like peers.',
  source: {
    outage: 'Slack, 22 February 2022',
    date: '2022-02-22',
    reference: 'Laura Nolan, "Slack\'s Incident on 2-22-22", Slack Engineering, 2022',
  },
  fidelity: [
    { quantity: 'share of the cache fleet restarted by the rollout step', published: '25% of hosts a step', expected: restartedShare, measure: { of: 'supernode-loss-direct' } },
    { quantity: 'scenario hours below 90% of normal online', published: 'about 5 hours of failed client boots, ended by throttling boots and reading only what was missing', expected: 5, measure: { of: 'hours-below', fraction: 0.9 } },
  ],
  timeScale: { oneHour: '10s' },
  seed: 2022,
  load: {
    versionMix: { [fixedVersion]: 1 },
    buggyVersion: fixedVersion,
    crashProbability: 0,
    delayedReplyThresholdMs: 1_000,
    restartDelay: { kind: 'exponential', mean: '2h', max: '12h' },
    reconnect: { policy: 'naive', intervalMs: 1_000 },
    heartbeatIntervalMs: 60_000,
    lookupsPerClientPerMinute: 1,
    imsPerClientPerMinute: 0.3,
    rampUpMs: 60_000,
    inboxPollIntervalMs: 0,
    requestTimeoutMs: 1_000,
  },
  architectures: {
    p2p: {
      topology: {
        supernodes: peers,
        supernodeMode: 'peer',
        standbyPeers: 0,
        supernode: withScatterRead(peerServingSoon),
        peerVersionMix: { [fixedVersion]: 1 },
        ...stores,
      },
      expectation: 'reproduces-outage',
      targets: {},
      outage: { maxMeanOnline: 0.87, maxOnlineAfterLowPoint: 0.9 },
    },
    dedicated: {
      topology: {
        supernodes: 8,
        supernodeMode: 'dedicated',
        standbyPeers: 0,
        supernode: withScatterRead(boxWithRequestsToSpare),
        ...stores,
      },
      expectation: 'reproduces-outage',
      targets: {},
      outage: { maxMeanOnline: 0.87, maxOnlineAfterLowPoint: 0.9 },
    },
  },
  steadyState: {
    hold: '1h',
    within: '30h',
    probes: [
      { metric: 'onlineFraction', atLeast: 0.98 },
      { metric: 'lookupSuccess', atLeast: 0.99 },
    ],
  },
  timeline: [
    { at: '0h', action: { do: 'mark', label: 'rollout step restarts a quarter of the supernodes' } },
    {
      at: '0h',
      action: { do: 'crash', id: 'rollout-step', target: { nodes: { group: 'supernodes', fraction: restartedShare } }, restartAfter: { kind: 'fixed', value: '4h' } },
    },
  ],
  duration: '6h',
  sampleEveryMs: 1_000,
  // Side by side, the two storms and the rollout step's kills loaded the 2-core host until a dedicated
  // fleet's event loop stalled past the saturation bound, in each of 3 runs: the runs could not be judged.
  oneAtATime: true,
  abortWhen: [],
  rollbacks: [],
  controls: [
    {
      name: 'reads-only-the-owner',
      architecture: 'p2p',
      sabotages: "a miss reads only the user's own store, as after the fix",
      set: { 'architectures.p2p.topology.supernode.startupCache': { ...scatterRead, fanOut: 'owner-shard' } },
      mustBreak: ['maxMeanOnline', 'maxOnlineAfterLowPoint'],
    },
    {
      name: 'stores-outgrow-the-storm',
      architecture: 'dedicated',
      sabotages: 'stores four times as fast: 95 queries a second each, 1.7x the storm',
      set: { 'architectures.dedicated.topology.offlineMessages': { ...stores.offlineMessages, serviceTimeMs: storeServiceTimeMs / 4 } },
      mustBreak: ['maxMeanOnline', 'maxOnlineAfterLowPoint'],
    },
  ],
});

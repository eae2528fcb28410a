import { defineScenario } from '../harness/scenario/define-scenario.js';
import type { NegativeControl, SupernodeTuning } from '../harness/scenario/types.js';

/**
 * December 22-24, 2010 (see shared/design/skype-2010.md), scaled down and compressed:
 * one scenario hour plays in 1.5 real seconds, so the ~30 h outage plays in 45 s. The trigger's
 * 4 hours (6 s) still outlast the clients' 5 s offline-message poll; what the clock cannot compress
 * is the 90 s login ramp, which the peers' capacity needs (a 30 s ramp tripped their self-protection
 * before the trigger).
 */

const buggyVersion = '5.0.0.152';

/**
 * A peer is an ordinary desktop: at steady state it holds about 10 clients and is offered about
 * 0.4 requests/s (heartbeats every minute, a lookup a minute, an IM every few), against a capacity of 2/s.
 * Self-protection measures the rate over 5 s and trips when it stays above capacity for 6 s
 * (longer than the window, so no single burst trips it). While the last 2 s were over capacity
 * it cannot answer a login in time and turns new sessions away: the clients it refuses keep
 * retrying, so a storm above capacity sustains itself instead of draining into free slots.
 * Logins ramp up over 90 s, so that the ramp's own noise in a 2 s window stays well below capacity.
 */
const peerSupernode: SupernodeTuning = {
  capacity: { sessions: 60, requestsPerSecond: 2 },
  overloadThreshold: 1,
  overloadGraceMs: 6_000,
  loadWindowMs: 5_000,
  admission: 'refuse-while-overloaded',
  admissionWindowMs: 2_000,
  rejoinDelayMs: 8_000,
};

/**
 * Where 8 hosted boxes stop holding this storm, found with `chaos sweep` over their request capacity
 * (bench/sweeps.json): 7.5 requests/s a box held in every run, 6.375 and below collapsed in every run
 * (measured again on the current scenario: 3 runs a point). Earlier, on the scenario before its
 * steady-state and readiness changes, 6 let one run of 6 hold on: the edge is a zone, not a line.
 */
const dedicatedBreakingPoint = 7.5;

/**
 * The provisioning rule: each box gets 1.6x the breaking point, enough that the storm's peak stays off
 * the edge. A regression that halves the capacity (6) lands at or below the edge and is caught (every
 * run at 6.375 collapsed); one that leaves 40% (4.8) is well below it (control `capacity-regression`).
 */
const provisioningHeadroom = 1.6;

/** A hosted box: 8 of them hold every client several times over. */
const dedicatedSupernode: SupernodeTuning = {
  capacity: { sessions: 250, requestsPerSecond: dedicatedBreakingPoint * provisioningHeadroom },
  overloadThreshold: 1,
  overloadGraceMs: 6_000,
  loadWindowMs: 5_000,
  admission: 'refuse-while-overloaded',
  rejoinDelayMs: 2_000,
};

/** The remedy: servers normally used for group video and offline IM, turned into supernodes. */
const megaSupernode: SupernodeTuning = {
  capacity: { sessions: 600, requestsPerSecond: 1_500 },
  overloadThreshold: 1,
  overloadGraceMs: 6_000,
  loadWindowMs: 5_000,
  rejoinDelayMs: 1_000,
};

/**
 * Sabotaged systems the targets must catch (`chaos run --controls`), for boxes of the given request
 * capacity: the p2p ones take away what carries the outage, the dedicated ones break one target each.
 * `capacity-regression` leaves each box `regressedRequestsPerSecond` (default 40% of its capacity).
 * Listed p2p and dedicated in turn: controls run two side by side, and a pair of p2p networks is twice
 * the machine's usual load.
 */
export function skype2010Controls(boxRequestsPerSecond: number, regressedRequestsPerSecond = (boxRequestsPerSecond * 2) / 5): NegativeControl[] {
  const regressionCost = Number((boxRequestsPerSecond / regressedRequestsPerSecond).toFixed(2));
  const regressedShare = Math.round((regressedRequestsPerSecond / boxRequestsPerSecond) * 100);
  return [
    {
      name: 'no-self-protection',
      architecture: 'p2p',
      sabotages: 'peers never shut themselves off in overload (nor turn logins away): the amplifier of 2010 is gone',
      set: { 'architectures.p2p.topology.supernode.overloadThreshold': 1_000 },
      mustBreak: ['minCascadeAmplification', 'maxOnlineLowPoint', 'cascadeContinuesAfterHeal'],
    },
    {
      name: 'capacity-regression',
      architecture: 'dedicated',
      sabotages: `a regression costs ${regressionCost}x the work per request: each box carries ${regressedShare}% of its requests (${regressedRequestsPerSecond}/s)`,
      set: { 'architectures.dedicated.topology.supernode.capacity.requestsPerSecond': regressedRequestsPerSecond },
      mustBreak: ['availabilityFloor', 'maxSupernodeLossTotal', 'maxCascadeAmplification', 'recoveryWithin', 'minLookupSuccessAfterRecovery'],
    },
    {
      name: 'clients-back-off',
      architecture: 'p2p',
      sabotages: 'clients back off (full jitter, 30 s doubling to 120 s) instead of retrying every 2 s',
      // At the time scale skype-2010-backoff was calibrated at: at 1.5 s a scenario hour the 70 h the
      // steady state may take are 105 s, too short for logins refused in the ramp that then wait up to
      // 120 s (measured: 97% online at best against 98%, in 2 runs of 6), so the outage is never judged.
      set: { 'load.reconnect': { policy: 'backoff', baseMs: 30_000, capMs: 120_000 }, 'timeScale.oneHour': '2s', duration: '40h' },
      mustBreak: ['minCascadeAmplification', 'maxOnlineLowPoint'],
    },
    {
      name: 'boxes-run-buggy-client',
      architecture: 'dedicated',
      sabotages: `every box runs the client software of ${buggyVersion} (its bug included), as a promoted peer does`,
      set: { 'architectures.dedicated.topology.defects': { boxesRunClientVersion: buggyVersion } },
      mustBreak: ['maxSupernodeLossDirect', 'maxSupernodeLossTotal'],
    },
    {
      name: 'peers-run-fixed-client',
      architecture: 'p2p',
      sabotages: 'every peer runs the fixed client 5.0.0.156, so no supernode meets the bug',
      set: { 'architectures.p2p.topology.peerVersionMix': { '5.0.0.156': 1 } },
      mustBreak: ['supernodeLossDirect', 'minCascadeAmplification'],
    },
    {
      name: 'lossy-offline-store',
      architecture: 'dedicated',
      // About 10 messages a run go through the store: dropping one in five left 1-3 lost (a run with none
      // lost is about 1 draw in 10); half of them leaves none lost about once in 1,000.
      sabotages: 'the offline-message store answers stored but drops half the messages',
      set: { 'architectures.dedicated.topology.defects': { offlineStoreDropsShare: 0.5 } },
      mustBreak: ['maxMessagesLost'],
    },
    {
      name: 'directory-pins-dead-box',
      architecture: 'dedicated',
      sabotages: 'login pins each user to the first box it handed out and keeps handing it out after it dies',
      set: { 'architectures.dedicated.topology.defects': { directoryPinsDeadSupernodes: true } },
      mustBreak: ['rehomeWithin', 'recoveryWithin'],
    },
  ];
}

export const skype2010 = defineScenario({
  name: 'skype-2010',
  description:
    'December 2010: delayed offline-IM replies crash Skype 5.0.0.152 clients, taking 25-30% of the ' +
    'supernodes with them; the restart storm and supernode self-protection cascade on after the ' +
    'trigger is healed, until dedicated mega-supernodes are added. Run against the p2p network ' +
    'of 2010 and the dedicated supernodes of 2012.',
  source: {
    outage: 'Skype, 22-24 December 2010',
    date: '2010-12-22',
    reference: 'Lars Rabbe, "CIO update: Post-mortem on the Skype outage", Skype blog, 29 December 2010',
  },
  fidelity: [
    { quantity: 'online users 20 h after T0, share of normal', published: 'about 30%', expected: 0.3, measure: { of: 'online-at', at: '20h' } },
    { quantity: 'online users 22 h after T0, share of normal', published: 'about 60%', expected: 0.6, measure: { of: 'online-at', at: '22h' } },
    { quantity: 'online users 27 h after T0, share of normal', published: 'about 80%', expected: 0.8, measure: { of: 'online-at', at: '27h' } },
    { quantity: 'online users 30 h after T0, share of normal', published: 'about 90%', expected: 0.9, measure: { of: 'online-at', at: '30h' } },
    { quantity: 'supernodes lost directly, share of supernodes', published: '25-30% of supernodes', expected: 0.275, measure: { of: 'supernode-loss-direct' } },
  ],
  timeScale: { oneHour: '1.5s' },
  seed: 2010,
  load: {
    versionMix: { [buggyVersion]: 0.5, '5.0.0.156': 0.3, '4.2.0.187': 0.2 },
    buggyVersion,
    crashProbability: 0.4,
    delayedReplyThresholdMs: 1_000,
    restartDelay: { kind: 'exponential', mean: '2h', max: '12h' },
    // The 2010 client retried at the rate its code set: every 2 s here, whatever the host.
    reconnect: { policy: 'naive', intervalMs: 2_000 },
    heartbeatIntervalMs: 60_000,
    lookupsPerClientPerMinute: 1,
    imsPerClientPerMinute: 0.3,
    rampUpMs: 90_000,
  },
  architectures: {
    p2p: {
      topology: {
        supernodes: 32,
        supernodeMode: 'peer',
        standbyPeers: 8,
        supernode: peerSupernode,
        peerVersionMix: { [buggyVersion]: 0.75, '5.0.0.156': 0.15, '4.2.0.187': 0.1 },
        offlineMessageServers: 1,
        fleets: 3,
        clientsPerFleet: 100,
        megaSupernode,
      },
      expectation: 'reproduces-outage',
      targets: {},
      outage: {
        // Each of 32 peers is vulnerable with p = 0.75 x 0.4 = 0.3, and so is each of the 8 standby peers login
        // may promote during the trigger: at worst X ~ Binomial(40, 0.3) supernodes are lost directly, against
        // 32 at steady state. The bound allows 25 of 32 (0.78); P(X >= 26) = 5e-6 even with every standby peer
        // promoted in time (100,000 seeded plans: at most 24). It was 0.65 (20 of 32, Binomial(32, 0.3) alone),
        // which a draw of 20 peers and one promoted standby peer crossed (0.656, seed 783492982).
        // Where the cascade tips (measured on two cores, short local runs): 3 direct losses (seed 190) stayed
        // local, 4 (seed 103) and 5 (seed 36) cascaded. P(X <= 3) = 0.55% for X ~ Binomial(32, 0.3): about one
        // seed in 180 draws a loss too small to start the storm, and its run fails, on any host.
        supernodeLossDirect: { min: 0.05, max: 0.8 },
        minCascadeAmplification: 1.5,
        maxOnlineLowPoint: 0.3,
        cascadeContinuesAfterHeal: true,
      },
    },
    dedicated: {
      topology: {
        supernodes: 8,
        supernodeMode: 'dedicated',
        standbyPeers: 0,
        supernode: dedicatedSupernode,
        offlineMessageServers: 1,
        fleets: 3,
        clientsPerFleet: 100,
      },
      expectation: 'meets-targets',
      targets: {
        // The crashed box is back after 12 h (T+14h, serving 2 s later): a recovery within 10 h is met only if
        // its clients re-home, not by waiting for it. Measured 6.3-7.6 h on two cores (the bug's crashed
        // clients come back after exp(2h) restarts): 10 h keeps a margin of over 2 h.
        recoveryWithin: '10h',
        // The crashed box's clients are online on other boxes within 6 h (9 s), half the time the box stays
        // down. Measured 0.2-2.2 h on two cores: most land on their next host-cache entry at once, the rest
        // after a retry or two of 2 s.
        rehomeWithin: '6h',
        recoveryHold: '2h',
        availabilityFloor: 0.7,
        // The one box the timeline crashes, and no more.
        maxSupernodeLossDirect: 0.125,
        maxSupernodeLossTotal: 0.125,
        maxCascadeAmplification: 1,
        minLookupSuccessAfterRecovery: 0.97,
        maxMessagesLost: 0,
      },
    },
  },
  steadyState: {
    hold: '3h',
    within: '70h',
    probes: [
      { metric: 'onlineFraction', atLeast: 0.98 },
      { metric: 'lookupSuccess', atLeast: 0.99 },
    ],
  },
  timeline: [
    { at: '0h', action: { do: 'mark', label: 'T0: offline-IM servers overload' } },
    {
      at: '0h',
      action: {
        do: 'inject',
        id: 'offline-im-delay',
        target: { links: { from: 'any', to: { group: 'offline-messages' } } },
        toxic: { type: 'latency', attributes: { latency: 3_000, jitter: 500 } },
      },
    },
    {
      at: '2h',
      action: { do: 'crash', id: 'dedicated-box-lost', target: { nodes: { group: 'supernodes', count: 1 } }, restartAfter: { kind: 'fixed', value: '12h' } },
      only: ['dedicated'],
    },
    { at: '4h', action: { do: 'heal', id: 'offline-im-delay' } },
    { at: '4h', action: { do: 'mark', label: 'offline-IM servers disabled (trigger healed)' } },
    { at: '14h', action: { do: 'add-supernodes', label: 'mega-supernodes, wave 1', count: 3, tuning: 'mega' }, only: ['p2p'] },
    { at: '18h', action: { do: 'add-supernodes', label: 'mega-supernodes, wave 2', count: 3, tuning: 'mega' }, only: ['p2p'] },
    { at: '28h', action: { do: 'mark', label: 'about 90% back' } },
  ],
  duration: '30h',
  sampleEveryMs: 1_000,
  abortWhen: [],
  rollbacks: [],
  controls: skype2010Controls(dedicatedSupernode.capacity.requestsPerSecond),
});

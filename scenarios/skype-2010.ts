import { defineScenario } from '../harness/scenario/define-scenario.js';
import type { SupernodeTuning } from '../harness/scenario/types.js';

/**
 * December 22-24, 2010 (see shared/design/skype-2010.md), scaled down and compressed:
 * one scenario hour plays in two real seconds, so the ~30 h outage plays in about a minute.
 */

const buggyVersion = '5.0.0.152';

/**
 * Sessions: 1.3x the 50 clients a peer holds at steady state (the design's 0.3 headroom). Requests:
 * a peer full of sessions (heartbeats and overlay floods, about 95/s) stays under its rate, so
 * only the reconnect storm of clients it has to turn away pushes it into self-protection.
 */
const peerSupernode: SupernodeTuning = {
  capacity: { sessions: 65, requestsPerSecond: 120 },
  overloadThreshold: 1,
  overloadGraceMs: 3_000,
  rejoinDelayMs: 8_000,
};

const dedicatedSupernode: SupernodeTuning = {
  capacity: { sessions: 1_200, requestsPerSecond: 2_400 },
  overloadThreshold: 1,
  overloadGraceMs: 3_000,
  rejoinDelayMs: 2_000,
};

/** The remedy: servers normally used for group video and offline IM, turned into supernodes. */
const megaSupernode: SupernodeTuning = {
  capacity: { sessions: 600, requestsPerSecond: 1_500 },
  overloadThreshold: 1,
  overloadGraceMs: 3_000,
  rejoinDelayMs: 1_000,
};

export const skype2010 = defineScenario({
  name: 'skype-2010',
  description:
    'December 2010: delayed offline-IM replies crash Skype 5.0.0.152 clients, taking 25-30% of the ' +
    'supernodes with them; the restart storm and supernode self-protection cascade on after the ' +
    'trigger is healed, until dedicated mega-supernodes are added. Run against the p2p network ' +
    'of 2010 and the dedicated supernodes of 2012.',
  timeScale: { oneHour: '2s' },
  seed: 2010,
  load: {
    versionMix: { [buggyVersion]: 0.5, '5.0.0.156': 0.3, '4.2.0.187': 0.2 },
    buggyVersion,
    crashProbability: 0.4,
    delayedReplyThresholdMs: 1_000,
    restartDelay: { kind: 'exponential', mean: '2h', max: '8h' },
    reconnect: { policy: 'naive', intervalMs: 100 },
    heartbeatIntervalMs: 1_000,
    lookupsPerClientPerMinute: 2,
    imsPerClientPerMinute: 1,
  },
  architectures: {
    p2p: {
      topology: {
        supernodes: 16,
        supernodeMode: 'peer',
        standbyPeers: 0,
        supernode: peerSupernode,
        peerVersionMix: { [buggyVersion]: 0.75, '5.0.0.156': 0.15, '4.2.0.187': 0.1 },
        offlineMessageServers: 1,
        fleets: 2,
        clientsPerFleet: 400,
        megaSupernode,
      },
      expectation: 'reproduces-outage',
      targets: {},
      outage: {
        supernodeLossDirect: { min: 0.2, max: 0.35 },
        minCascadeAmplification: 1.5,
        maxOnlineLowPoint: 0.3,
        cascadeContinuesAfterHeal: true,
      },
    },
    dedicated: {
      topology: {
        supernodes: 4,
        supernodeMode: 'dedicated',
        standbyPeers: 0,
        supernode: dedicatedSupernode,
        offlineMessageServers: 1,
        fleets: 2,
        clientsPerFleet: 400,
      },
      expectation: 'meets-targets',
      targets: {
        recoveryWithin: '12h',
        recoveryHold: '2h',
        availabilityFloor: 0.7,
        maxSupernodeLossDirect: 0,
        maxSupernodeLossTotal: 0,
        minLookupSuccessAfterRecovery: 0.97,
        maxMessagesLost: 0,
      },
    },
  },
  steadyState: {
    hold: '3h',
    within: '30h',
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
    { at: '4h', action: { do: 'heal', id: 'offline-im-delay' } },
    { at: '4h', action: { do: 'mark', label: 'offline-IM servers disabled (trigger healed)' } },
    { at: '14h', action: { do: 'add-supernodes', label: 'mega-supernodes, wave 1', count: 3, tuning: 'mega' }, only: ['p2p'] },
    { at: '18h', action: { do: 'add-supernodes', label: 'mega-supernodes, wave 2', count: 3, tuning: 'mega' }, only: ['p2p'] },
    { at: '28h', action: { do: 'mark', label: 'about 90% back' } },
  ],
  duration: '40h',
  sampleEveryMs: 500,
  abortWhen: [],
  rollbacks: [],
});

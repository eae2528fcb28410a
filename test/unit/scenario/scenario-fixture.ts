import { isChaosError } from '../../../harness/errors.js';
import { validateScenario } from '../../../harness/scenario/define-scenario.js';
import type { ScenarioDefinition } from '../../../harness/scenario/types.js';

const base: ScenarioDefinition = {
  name: 'fixture',
  description: 'a small valid scenario',
  timeScale: { oneHour: '1s' },
  seed: 7,
  load: {
    versionMix: { buggy: 0.5, fine: 0.5 },
    buggyVersion: 'buggy',
    crashProbability: 0.4,
    delayedReplyThresholdMs: 1_000,
    restartDelay: { kind: 'uniform', min: '10m', max: '2h' },
    reconnect: { policy: 'backoff', baseMs: 100, capMs: 5_000 },
    heartbeatIntervalMs: 1_000,
    lookupsPerClientPerMinute: 2,
    imsPerClientPerMinute: 1,
  },
  architectures: {
    p2p: {
      topology: {
        supernodes: 10,
        supernodeMode: 'peer',
        standbyPeers: 2,
        supernode: { capacity: { sessions: 50, requestsPerSecond: 100 }, overloadThreshold: 1, overloadGraceMs: 1_000, rejoinDelayMs: 2_000 },
        peerVersionMix: { buggy: 0.7, fine: 0.3 },
        offlineMessageServers: 1,
        fleets: 2,
        clientsPerFleet: 100,
        megaSupernode: { capacity: { sessions: 500, requestsPerSecond: 1_000 }, overloadThreshold: 1, overloadGraceMs: 1_000, rejoinDelayMs: 500 },
      },
      expectation: 'reproduces-outage',
      targets: {},
      outage: { supernodeLossDirect: { min: 0.2, max: 0.35 }, minCascadeAmplification: 1.5, maxOnlineLowPoint: 0.3, cascadeContinuesAfterHeal: true },
    },
    dedicated: {
      topology: {
        supernodes: 3,
        supernodeMode: 'dedicated',
        standbyPeers: 0,
        supernode: { capacity: { sessions: 500, requestsPerSecond: 1_000 }, overloadThreshold: 1, overloadGraceMs: 1_000, rejoinDelayMs: 500 },
        offlineMessageServers: 1,
        fleets: 2,
        clientsPerFleet: 100,
      },
      expectation: 'meets-targets',
      targets: { recoveryWithin: '10h', recoveryHold: '1h', availabilityFloor: 0.7, maxMessagesLost: 0 },
    },
  },
  steadyState: { hold: '2h', within: '20h', probes: [{ metric: 'onlineFraction', atLeast: 0.95 }] },
  timeline: [
    { at: '0h', action: { do: 'mark', label: 'T0' } },
    {
      at: '0h',
      action: {
        do: 'inject',
        id: 'trigger',
        target: { links: { from: 'any', to: { group: 'offline-messages' } } },
        toxic: { type: 'latency', attributes: { latency: 3_000, jitter: 100 } },
      },
    },
    { at: '2h', action: { do: 'heal', id: 'trigger' } },
    { at: '3h', action: { do: 'crash', id: 'crash-some', target: { nodes: { group: 'supernodes', fraction: 0.3 } } } },
    { at: '10h', action: { do: 'add-supernodes', label: 'wave 1', count: 2, tuning: 'mega' }, only: ['p2p'] },
  ],
  duration: '20h',
  sampleEveryMs: 500,
  abortWhen: [{ metric: 'onlineFraction', below: 0.01, for: '5h', after: '1h' }],
  rollbacks: [{ do: 'heal', id: 'trigger' }],
};

/** A fresh, mutable copy of a valid scenario for each test to break in its own way. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function validScenario(): any {
  return structuredClone(base);
}

export const validScenarioDefinition = (): ScenarioDefinition => structuredClone(base);

/** The problems validateScenario lists for `input`; none when it is valid. */
export function scenarioProblems(input: unknown): readonly string[] {
  try {
    validateScenario(input);
  } catch (error) {
    if (isChaosError(error) && error.code === 'INVALID_SCENARIO') return error.details;
    throw error;
  }
  return [];
}

/** A scenario as loose data, for a test to break one field of. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MutableScenario = any;

/** The problems of the fixture after `mutate` changed it. */
export function problemsAfter(mutate: (s: MutableScenario) => void): readonly string[] {
  const scenario = validScenario();
  mutate(scenario);
  return scenarioProblems(scenario);
}

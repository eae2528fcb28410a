/** What the three CLI-driven integration tests vary in their small dedicated topology. */
export interface SmallDedicatedOptions {
  readonly name: string;
  readonly description: string;
  readonly oneHour: string;
  readonly seed: number;
  readonly supernodes: number;
  readonly clients: number;
  readonly availabilityFloor: number;
  readonly backoffCapMs: number;
  readonly rampUpMs: number;
  readonly steadyState: { readonly hold: string; readonly within: string };
  readonly sampleEveryMs: number;
  readonly duration: string;
  readonly timeline?: readonly unknown[];
}

/**
 * A dedicated network small enough to start in seconds (one fleet, one offline-messages server, no
 * buggy clients), as scenario JSON for `chaos run` and `chaos rehearse`.
 */
export function smallDedicatedScenario(options: SmallDedicatedOptions): Record<string, unknown> {
  return {
    name: options.name,
    description: options.description,
    timeScale: { oneHour: options.oneHour },
    seed: options.seed,
    load: {
      versionMix: { '5.0.0.156': 1 },
      buggyVersion: '5.0.0.156',
      crashProbability: 0,
      delayedReplyThresholdMs: 5_000,
      restartDelay: { kind: 'fixed', value: '1h' },
      reconnect: { policy: 'backoff', baseMs: 200, capMs: options.backoffCapMs },
      heartbeatIntervalMs: 1_000,
      lookupsPerClientPerMinute: 6,
      imsPerClientPerMinute: 2,
      rampUpMs: options.rampUpMs,
    },
    architectures: {
      dedicated: {
        topology: {
          supernodes: options.supernodes,
          supernodeMode: 'dedicated',
          standbyPeers: 0,
          supernode: { capacity: { sessions: 100, requestsPerSecond: 200 }, overloadThreshold: 1, overloadGraceMs: 5_000, rejoinDelayMs: 200 },
          offlineMessageServers: 1,
          fleets: 1,
          clientsPerFleet: options.clients,
        },
        expectation: 'meets-targets',
        targets: { availabilityFloor: options.availabilityFloor },
      },
    },
    steadyState: { ...options.steadyState, probes: [{ metric: 'onlineFraction', atLeast: 0.9 }] },
    timeline: options.timeline ?? [],
    duration: options.duration,
    sampleEveryMs: options.sampleEveryMs,
    abortWhen: [],
    rollbacks: [],
  };
}

import type { Architecture, Expectation } from '../scenario/types.js';

export type CheckOutcome = 'pass' | 'fail' | 'unknown';

/** One target checked against the history: the measured value, the target, and the outcome. */
export interface TargetResult {
  readonly name: string;
  /** Human-readable target, e.g. `<= 90s`, `>= 0.70`. */
  readonly target: string;
  readonly measured: number | string | null;
  readonly outcome: CheckOutcome;
  readonly pass: boolean;
  readonly detail?: string;
}

export interface RunSummary {
  readonly steadyOnlineClients: number;
  readonly minOnlineFraction: number;
  readonly supernodesLostDirect: number;
  readonly supernodesLostTotal: number;
  /** Supernodes in the network at steady state, the denominator of the direct loss share. */
  readonly supernodesAtSteadyState: number;
  /** The most supernodes the network ever had, remedies included: the denominator of the total share. */
  readonly supernodesEverInNetwork: number;
  readonly cascadeAmplification: number | null;
  /** Real seconds from the first fault to recovery; null when it never recovered. */
  readonly recoverySeconds: number | null;
  /** The same in scenario hours. */
  readonly recoveryScenarioHours: number | null;
  readonly messagesLost: number;
  readonly lookupSuccessAfterRecovery: number | null;
  readonly cascadeContinuedAfterHeal: boolean;
}

/**
 * Whether the harness delivered the load the scenario states. When it did not (its own event
 * loops lagged, scheduled attempts were not made), the run says nothing about the system under
 * test and its verdict is `unknown`.
 */
export interface HarnessSaturation {
  readonly saturated: boolean;
  /** Why, in words, e.g. `fleet-1: 23% of scheduled attempts not made (bound 10%)`. */
  readonly reasons: readonly string[];
  /** The figures the rule looked at (share of attempts not made, event-loop lag p99 in ms, sampler tick lag). */
  readonly figures: Readonly<Record<string, number | null>>;
}

export interface ArchitectureVerdict {
  readonly architecture: Architecture;
  readonly expectation: Expectation;
  readonly verdict: CheckOutcome;
  /** Present once the run's history carries the harness's own load figures. */
  readonly saturation?: HarnessSaturation;
  /** How the run ended (from the history). */
  readonly outcome: 'completed' | 'aborted' | 'interrupted' | 'failed' | 'unknown';
  readonly summary: RunSummary;
  readonly targets: readonly TargetResult[];
}

/** The shape of `report.json`. */
export interface RunReport {
  readonly scenario: string;
  readonly description: string;
  readonly seed: number;
  readonly platform: string;
  readonly generatedAt: string;
  readonly runs: readonly ArchitectureVerdict[];
}

import type { NodePlacement } from '../platform/platform.js';
import type { ControlsSection } from '../controls/control-types.js';
import type { Architecture, Expectation, FidelityUnit } from '../scenario/types.js';
import type { OfferedLoad } from './offered-load.js';

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

/** A post-mortem figure (a scenario's fidelity row) beside what the run measured: informational, not a target. */
export interface FidelityFigure {
  readonly quantity: string;
  /** The post-mortem's number as published, e.g. `about 30%`. */
  readonly published: string;
  /** The published number in the scenario's scale. */
  readonly expected: number;
  /** Null when the run did not reach it or it could not be measured. */
  readonly measured: number | null;
  readonly unit: FidelityUnit;
}

/** The run's figures at a glance; `null` wherever the history could not give the figure (its targets say `unknown`). */
export interface RunSummary {
  readonly steadyOnlineClients: number | null;
  readonly minOnlineFraction: number | null;
  readonly supernodesLostDirect: number | null;
  readonly supernodesLostTotal: number | null;
  /** Supernodes in the network at steady state, the denominator of the direct loss share. */
  readonly supernodesAtSteadyState: number | null;
  /** The most supernodes the network ever had, remedies included: the denominator of the total share. */
  readonly supernodesEverInNetwork: number | null;
  /** total / direct; null when no supernode was lost directly or the losses could not be measured. */
  readonly cascadeAmplification: number | null;
  /** Whether the run got back to steady state after the first fault; null when that could not be measured. */
  readonly recovered: boolean | null;
  /** Real seconds from the first fault to recovery; null when it never recovered (see `recovered`) or could not be measured. */
  readonly recoverySeconds: number | null;
  /** The same in scenario hours. */
  readonly recoveryScenarioHours: number | null;
  readonly messagesLost: number | null;
  /** Null when it never recovered, no lookup happened after the recovery, or it could not be measured. */
  readonly lookupSuccessAfterRecovery: number | null;
  /** Peer supernodes shut themselves off in overload that began after the trigger was healed; null when it could not be measured. */
  readonly cascadeContinuedAfterHeal: boolean | null;
  /** The scenario's fidelity rows, each with what this run measured; none when the scenario states none. */
  readonly fidelity: readonly FidelityFigure[];
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

/** Samples of the judged phase in which a fleet's status could not be read for too long (its clients' online count unknown). */
export interface UnreadFleetSamples {
  readonly unread: number;
  /** Samples of the judged phase (the timeline; the steady state for a run that never reached it). */
  readonly samples: number;
  /** unread / samples; null without samples. */
  readonly share: number | null;
  /** Above 5%: the run is unknown. */
  readonly exceeded: boolean;
}

/** A node that exited with a code the services have no meaning for (or a refused configuration): the service itself failed. */
export interface NodeFailure {
  readonly node: string;
  readonly role: string;
  /** Real ms (run clock) when it was seen down. */
  readonly t: number;
  /** Null when the platform gave none. */
  readonly exitCode: number | null;
}

export interface ArchitectureVerdict {
  readonly architecture: Architecture;
  readonly expectation: Expectation;
  readonly verdict: CheckOutcome;
  /** Present once the run's history carries the harness's own load figures. */
  readonly saturation?: HarnessSaturation;
  /** Offered load per supernode, predicted by the cascade arithmetic and measured; null when it could not be measured. */
  readonly load?: OfferedLoad | null;
  /** Fleet samples the harness could not read, counted in every report; above 5% the verdict is unknown. */
  readonly unreadFleetSamples?: UnreadFleetSamples;
  /** Nodes that failed on their own (`node failed (exit 1)`): listed apart, never counted as supernode loss or cascade. */
  readonly nodesFailed?: readonly NodeFailure[];
  /** Where the nodes ran, on a platform of several machines (swarm): absent elsewhere. */
  readonly placement?: NodePlacement;
  /** How the run ended (from the history). */
  readonly outcome: 'completed' | 'aborted' | 'interrupted' | 'failed' | 'unknown';
  /**
   * SIGINT/SIGTERM reached the run after its timeline was over, in its rollback or its teardown: the
   * outcome and the verdict stand (what was measured was measured), and the reports say so.
   */
  readonly interruptedDuring?: 'rollback' | 'teardown';
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
  /** `chaos run --controls`: the scenario's negative controls, run after the architectures. */
  readonly controls?: ControlsSection;
}

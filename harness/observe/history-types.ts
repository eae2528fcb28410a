import type { Architecture, Expectation, ScenarioDefinition } from '../scenario/types.js';
import type { NodeExitCause } from '../../services/protocol/exit-codes.js';
import type { NodePlacement } from '../platform/platform.js';

/**
 * One append-only history per architecture run. Every event carries `t`: real milliseconds
 * since the run started, on the runner's clock, when it was written. Checkers and reports read only this.
 */

/**
 * What a timeline or operator step recorded (`fault`, `remedy`, `mark`) adds to `t`: the step is
 * written once it is done (a Docker kill can take seconds on a loaded host), and `startedT` says when
 * it began, on the same clock. Histories written before it have only `t`: see `stepStartOf`.
 */
export interface StepTiming {
  /** Real milliseconds since the run started when the step that made this event began; `t` is when it was done. */
  readonly startedT?: number;
}

/** What the sampler saw of one node on one tick. */
export interface NodeObservation {
  readonly role: 'login' | 'supernode' | 'offline-messages' | 'client-fleet' | 'echo';
  /** The control port answered. */
  readonly up: boolean;
  readonly ready: boolean;
  /** supernodes: standby | joining | serving | shutting-down */
  readonly state?: string;
  readonly mode?: 'peer' | 'dedicated';
  readonly load?: number;
  readonly sessions?: number;
  readonly capacitySessions?: number;
  /** supernodes: requests offered per second (frames and connection attempts, refused ones included), 1 s window. */
  readonly requestRate?: number;
  readonly capacityRequestRate?: number;
  /** The node's own event-loop delay, p99 over its last second, in seconds. */
  readonly eventLoopLagP99Seconds?: number;
  /** fleets: periodic attempts (retries, heartbeats) the schedule promised and those made, cumulative. */
  readonly attemptsScheduled?: number;
  readonly attemptsMade?: number;
  /** offline-messages: requests waiting for a worker, served in order whether or not their asker still waits. */
  readonly queueDepth?: number;
}

/** Cluster totals on one tick; counters are cumulative since the run started. */
export interface ClusterTotals {
  readonly clientsTotal: number;
  readonly clientsOnline: number;
  /** Clients crashed and not yet restarted by their users (absent in histories written before it was sampled). */
  readonly clientsCrashed?: number;
  /** Clients that lost their supernode in their current life and have not found another yet. */
  readonly clientsRehoming?: number;
  /** Clients logged in but re-reading an inbox they take for invalid: not online (absent in older histories). */
  readonly clientsResyncing?: number;
  /** Supernodes that are part of the network (serving, joining, or down), standby peers excluded. */
  readonly supernodesTotal: number;
  readonly supernodesServing: number;
  readonly sessions: number;
  readonly capacitySessions: number;
  /** Mean and max load over serving supernodes (fraction of capacity). */
  readonly loadMean: number;
  readonly loadMax: number;
  readonly lookupsOk: number;
  readonly lookupsFailed: number;
  readonly imsAccepted: number;
  readonly imsReceived: number;
  readonly imsDuplicate: number;
  readonly offlinePending: number;
  readonly clientCrashes: number;
  readonly clientRestarts: number;
  /** Fleets whose status did not arrive this tick and whose last known online count was carried forward. */
  readonly fleetsCarried?: number;
  /** Fleets whose status the harness could not read for longer than it carries a reading: the sample's online count is unknown. */
  readonly fleetsUnread?: number;
}

export type HistoryEvent =
  | {
      readonly t: number;
      readonly type: 'run-start';
      readonly scenario: string;
      readonly architecture: Architecture;
      readonly expectation: Expectation;
      readonly seed: number;
      readonly platform: string;
      /** Real milliseconds per scenario hour. */
      readonly msPerScenarioHour: number;
      readonly definition: ScenarioDefinition;
      readonly startedAt: string;
    }
  | { readonly t: number; readonly type: 'phase'; readonly phase: RunPhase }
  | {
      readonly t: number;
      readonly type: 'sample';
      readonly totals: ClusterTotals;
      readonly nodes: Readonly<Record<string, NodeObservation>>;
      /** How late this tick started against the sampler's fixed schedule (real ms). */
      readonly lagMs?: number;
      /** How long this tick's status reads took (real ms; bounded by the read timeout). */
      readonly readMs?: number;
    }
  | ({
      readonly t: number;
      readonly type: 'fault';
      readonly id: string;
      readonly action: 'inject' | 'heal';
      /** `latency`, `down`, `crash`, `pause`, ... */
      readonly kind: string;
      /** Links or nodes affected. */
      readonly targets: readonly string[];
      readonly detail?: Readonly<Record<string, unknown>>;
    } & StepTiming)
  | ({
      readonly t: number;
      readonly type: 'remedy';
      readonly label: string;
      readonly added: readonly string[];
      /** Real ms from the step's start until the added nodes answered (the event is written then). */
      readonly tookMs?: number;
    } & StepTiming)
  | {
      readonly t: number;
      readonly type: 'node';
      readonly node: string;
      readonly role: string;
      readonly change: 'down' | 'restarted' | 'added' | 'promoted';
      readonly cause?: NodeExitCause | 'fault' | 'user-restart' | 'startup-restart';
      /** The process's exit code, when the node went down and the platform gave one. */
      readonly exitCode?: number;
    }
  | {
      readonly t: number;
      /**
       * What one node's message ledger (`GET /ledger`) added since the last pull; written only when
       * something changed, every event of one pull with the same `t`. `pending` (offline-messages
       * only) is the full list of ids stored and not yet acknowledged; the last one is the set at the end.
       */
      readonly type: 'ledger';
      readonly node: string;
      /** Ids accepted from this node's clients (sender side). */
      readonly accepted: readonly string[];
      /** Ids received for the first time. */
      readonly received: readonly string[];
      /** Ids received again, once per extra delivery. */
      readonly duplicates: readonly string[];
      readonly pending?: readonly string[];
    }
  | ({ readonly t: number; readonly type: 'mark'; readonly label: string } & StepTiming)
  | {
      readonly t: number;
      /**
       * An operator's command in a rehearsal (`chaos rehearse`), or one the safety switches gave on
       * their own (kill switch, dead-man). `action` is the timeline step it became, `offsetMs` the real
       * milliseconds since the timeline started when it began (for a done or failed one: when the executor
       * started it; `t` is when it was done): `chaos record` turns the done ones into a scenario.
       */
      readonly type: 'command';
      readonly source: string;
      readonly text: string;
      readonly outcome: 'done' | 'refused' | 'failed';
      readonly offsetMs: number;
      readonly action?: Readonly<Record<string, unknown>>;
      readonly message?: string;
    }
  | { readonly t: number; readonly type: 'error'; readonly message: string; readonly code?: string }
  | ({
      readonly t: number;
      /** Where the nodes ran (a platform of several machines), written before the teardown: every node the run started. */
      readonly type: 'placement';
    } & NodePlacement)
  | {
      readonly t: number;
      /**
       * SIGINT or SIGTERM reached the run, in this phase; written as it arrives. Before the timeline
       * ended the run-end says `interrupted`; in the rollback or the teardown the run-end keeps its
       * outcome (the timeline completed, so the verdict stands) and this event is what marks the run
       * interrupted (see `interruptedDuring`).
       */
      readonly type: 'interrupt';
      readonly phase: RunPhase;
    }
  | {
      readonly t: number;
      readonly type: 'run-end';
      readonly outcome: 'completed' | 'aborted' | 'interrupted' | 'failed';
      readonly reason?: string;
    };

export type RunPhase = 'deploying' | 'steady-state' | 'timeline' | 'rollback' | 'teardown' | 'done';

export type HistoryEventType = HistoryEvent['type'];
export type EventOf<K extends HistoryEventType> = Extract<HistoryEvent, { type: K }>;

/** An event as its author records it; the history stamps `t` on the run's clock. */
export type HistoryRecord = HistoryEvent extends infer E ? (E extends { t: number } ? Omit<E, 't'> : never) : never;

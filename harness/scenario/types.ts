/**
 * A scenario is typed data. Durations are strings such as `"90s"`, `"30m"`, `"20h"` and are in
 * SCENARIO time (the time of the outage being reproduced); `timeScale` compresses them into
 * real time. Service tuning fields ending in `Ms` are real milliseconds.
 */

export type Architecture = 'p2p' | 'dedicated';
export type Expectation = 'meets-targets' | 'reproduces-outage';
export type Duration = string;

export interface TimeScale {
  /** How long one scenario hour lasts in real time, e.g. `"1.5s"`. */
  readonly oneHour: Duration;
}

export interface SupernodeCapacity {
  readonly sessions: number;
  readonly requestsPerSecond: number;
}

export interface SupernodeTuning {
  readonly capacity: SupernodeCapacity;
  /** Load (fraction of capacity) above which self-protection counts, e.g. 1.0. */
  readonly overloadThreshold: number;
  /** Real milliseconds the load must stay above the threshold before the supernode shuts itself off. */
  readonly overloadGraceMs: number;
  /** Real milliseconds after a (re)start before login hands the supernode out again. */
  readonly rejoinDelayMs: number;
  /** Real milliseconds the request rate is measured over (default 1 s); longer smooths a low rate's noise. */
  readonly loadWindowMs?: number;
  /**
   * `accept-all` (default): a new session is refused only when the session slots are full.
   * `refuse-while-overloaded`: also while the load is above the threshold, as an overloaded host
   * that cannot answer a login in time; the turned-away clients keep retrying, so a storm above
   * capacity sustains itself instead of draining into the survivors' free slots.
   */
  readonly admission?: 'accept-all' | 'refuse-while-overloaded';
  /** Real milliseconds `refuse-while-overloaded` measures the load over (default 1 s). */
  readonly admissionWindowMs?: number;
  /**
   * Real milliseconds login may take to answer the supernode's registration (at start, and again after
   * its login link drops); later, the supernode takes itself out of service (its clients sent
   * elsewhere) until a retry is answered in time. Absent: it waits as long as login takes, serving.
   */
  readonly registrationTimeoutMs?: number;
  /** Real milliseconds before the retry of a failed registration, drawn from half to one and a half of it (default 1 s). */
  readonly registrationRetryMs?: number;
  /**
   * Whether the first registration after the process starts has `registrationTimeoutMs` too (default
   * true). False: it waits as long as login takes, as a server with nothing to serve yet waits for its
   * membership; every later registration (after the login link drops, or after the supernode was taken
   * out of service) has the deadline. Needs `registrationTimeoutMs`.
   */
  readonly registrationDeadlineAtStart?: boolean;
  /**
   * Whether each heartbeat to login is a membership check with `registrationTimeoutMs` as its deadline
   * (default false). True: one heartbeat at a time waits for login's answer; one answered later takes
   * the supernode out of service as a late registration does (counted in `heartbeatTimeouts`), and it
   * registers again after `registrationRetryMs`. Needs `registrationTimeoutMs`.
   */
  readonly heartbeatDeadline?: boolean;
  /**
   * Real milliseconds of a lease on the supernode's membership (default: none). Every answer from
   * login (to a registration or a heartbeat) renews it from its arrival; when none has arrived for
   * this long, including while login is down or unreachable, the supernode takes itself out of
   * service as a failed registration does (counted in `leaseExpiries`) and serves again once login
   * answers a registration. The lease runs from the process's start. Must be longer than
   * `loginHeartbeatMs`. Models servers that cannot serve without their service-discovery store
   * (Roblox, 28-31 Oct 2021).
   */
  readonly loginLeaseMs?: number;
  /** A cache of clients' state that a client's registration needs; absent, a registration is answered at once. */
  readonly startupCache?: SupernodeStartupCache;
  /** Real milliseconds between the supernode's heartbeats to login, each answered with the membership list (default 1 s). */
  readonly loginHeartbeatMs?: number;
}

/**
 * The supernode's start-up cache, in its memory and so empty after every (re)start: a warm entry
 * answers a registration at once; a miss queries the offline stores and fails the registration
 * when they do not answer in time (the client retries as it always does). Only answers fill it.
 */
export interface SupernodeStartupCache {
  /**
   * Which stores a miss asks. `all-shards` (Slack, 2022): every offline-message server, waiting for
   * all; an error or timeout from any fails the miss. `owner-shard`: only the server holding the
   * user's state (see `owner`).
   */
  readonly fanOut: 'all-shards' | 'owner-shard';
  /** Real milliseconds a miss waits for the stores' answers. */
  readonly queryTimeoutMs: number;
  /**
   * Which store holds a user's state for `owner-shard`: `inbox-store` (default), the one every
   * client dials for its inbox (offline-1); `user-hash`, a stable hash of the user id modulo the
   * number of stores, so each store owns a share of the users and `all-shards` puts every miss on
   * every store where `owner-shard` puts a share of them on each.
   */
  readonly owner?: 'inbox-store' | 'user-hash';
  /**
   * The network ran before the scenario began, so the caches held their users: from the deployment
   * until the steady state holds, a miss is cached at once without asking a store (the harness
   * tells each supernode on its control port). A supernode (re)started after that, or added by a
   * remedy, begins cold. Default false: every cache begins empty, and the ramp's logins all miss.
   */
  readonly prewarmed?: boolean;
}

/** Login's directory of finite capacity: absent, login answers every request at once. */
export interface DirectoryCapacity {
  /** Requests (logins, host caches, supernode registrations and heartbeats) answered per second; the rest queue. */
  readonly capacity: number;
  /** Requests that may wait (default 1,000); beyond them login refuses with a `busy` error. */
  readonly queueLimit?: number;
  /** Real milliseconds of extra work per supernode an answer names (its membership list or host cache), default 0. */
  readonly answerCostMsPerSupernode?: number;
}

export interface LoginTuning {
  readonly directory?: DirectoryCapacity;
  /**
   * How login fills a host cache: `random` (default), a seeded shuffle of the usable supernodes;
   * `least-loaded`, the most free session slots first, as each supernode said at its last heartbeat.
   */
  readonly allocation?: 'random' | 'least-loaded';
  /** Login shuts itself down when its directory stays saturated; absent, it never does. Needs `directory`. */
  readonly overloadShutdown?: LoginOverloadShutdown;
  /** Login readmits users in steps after it starts again; absent, every user at once. */
  readonly readmission?: LoginReadmission;
}

/**
 * Self-protection of login: once its directory has refused requests (its queue full) for `graceMs`
 * with no calm second between refusals, login exits 75, as an overloaded supernode does; the harness
 * records an overload and restarts it after `restartAfter`.
 */
export interface LoginOverloadShutdown {
  /** Real milliseconds of sustained refusals before login shuts itself down. */
  readonly graceMs: number;
  /** How long until login is started again (scenario time); default: the scenario's `load.restartDelay`. */
  readonly restartAfter?: Distribution;
}

/**
 * Staged readmission: after login starts again, only users whose rank (a stable hash of the user id)
 * falls below the admitted share may log in; the rest get a `busy` error frame, which clients take as
 * a failed login and retry later. The share is `stepShare` at the start and grows by it every `stepEveryMs`.
 */
export interface LoginReadmission {
  /** Share of the users admitted at the start and added at each step, e.g. 0.1. */
  readonly stepShare: number;
  /** Real milliseconds between steps. */
  readonly stepEveryMs: number;
  /** Stage the deployment's first start of login too (default false: only a start again, after login ended itself). */
  readonly atFirstStart?: boolean;
}

/** The offline-message store's tuning: absent, it answers every inbox query, as in 2010. */
export interface OfflineMessagesTuning {
  /** Inbox queries answered a second, counted over the last second; a query beyond them is answered with an error frame. */
  readonly queryCapacity?: number;
  /** Requests the store serves at once (default 4); with `serviceTimeMs`, its throughput: workers * 1000 / serviceTimeMs a second. */
  readonly workers?: number;
  /**
   * Real milliseconds one worker spends on one request (default 2). A request waits its turn in a queue
   * and costs its service time even when its caller has stopped waiting: work done for nobody.
   */
  readonly serviceTimeMs?: number;
  /** Requests that may wait (default 20,000); beyond them the store refuses with a `busy` error. */
  readonly maxQueue?: number;
}

export interface TopologySpec {
  /** Supernodes serving at the start. */
  readonly supernodes: number;
  /** `peer`: promoted clients running client code (p2p); `dedicated`: hosted boxes. */
  readonly supernodeMode: 'peer' | 'dedicated';
  /** p2p only: peers running as plain clients that login may promote when supernodes are short. */
  readonly standbyPeers: number;
  readonly supernode: SupernodeTuning;
  /** Login's tuning; absent, login is as in 2010: answers at once. */
  readonly login?: LoginTuning;
  /** p2p only: client versions the peer supernodes run, with weights (skewed toward the buggy version). */
  readonly peerVersionMix?: Readonly<Record<string, number>>;
  readonly offlineMessageServers: number;
  readonly offlineMessages?: OfflineMessagesTuning;
  readonly fleets: number;
  readonly clientsPerFleet: number;
  /** Capacity of the supernodes a remedy adds ("mega-supernodes"). */
  readonly megaSupernode?: SupernodeTuning;
  /** Deliberate defects of the system under test, for negative controls; none in a shipped architecture. */
  readonly defects?: SystemDefects;
}

/**
 * Faults built into the services themselves (never into the harness or its gate): a negative control
 * runs the scenario on a system with one of these, to show that its targets catch it.
 */
export interface SystemDefects {
  /** dedicated: every box runs the client software of this version (bug included), as a promoted peer does. */
  readonly boxesRunClientVersion?: string;
  /** The offline-message store answers `stored` for every message but silently drops this seeded share of them (0-1). */
  readonly offlineStoreDropsShare?: number;
  /** Login pins each user to the first supernode it handed them, and keeps handing out only that one after it dies. */
  readonly directoryPinsDeadSupernodes?: boolean;
  /** p2p: login never promotes standby peers. */
  readonly promotionOff?: boolean;
}

export type Distribution =
  | { readonly kind: 'fixed'; readonly value: Duration }
  | { readonly kind: 'uniform'; readonly min: Duration; readonly max: Duration }
  | { readonly kind: 'exponential'; readonly mean: Duration; readonly max?: Duration };

export interface LoadSpec {
  /** Client versions with weights, e.g. `{ "5.0.0.152": 0.5, "5.0.0.156": 0.5 }`. */
  readonly versionMix: Readonly<Record<string, number>>;
  /** The version carrying the 2010 bug. */
  readonly buggyVersion: string;
  /** Probability that a buggy client crashes on a delayed offline-messages reply. */
  readonly crashProbability: number;
  /** Real milliseconds beyond which an offline-messages reply counts as delayed. */
  readonly delayedReplyThresholdMs: number;
  /** How long users take to restart a crashed client (scenario time). */
  readonly restartDelay: Distribution;
  /**
   * After losing (or failing to get) a supernode. `naive`: the next attempt after a fixed
   * `intervalMs` (real ms), never slowing down, as the 2010 client did; `backoff`: exponential
   * with full jitter. Either way the offered load is the scenario's, not the host CPU's.
   */
  readonly reconnect:
    | { readonly policy: 'naive'; readonly intervalMs: number }
    | { readonly policy: 'backoff'; readonly baseMs: number; readonly capMs: number };
  /** Per virtual client, real time. */
  readonly heartbeatIntervalMs: number;
  readonly lookupsPerClientPerMinute: number;
  readonly imsPerClientPerMinute: number;
  /** Real milliseconds over which each fleet's first logins are spread (default 4 s): a ramp, not a storm, before T0. */
  readonly rampUpMs?: number;
  /**
   * How often every client (a fleet's, and a peer's own) reads its inbox while online, real ms; 0: only
   * at login. Absent: fleets every 5 s, a peer's own client every 2 s.
   */
  readonly inboxPollIntervalMs?: number;
  /**
   * How long every client waits for a connection or an answer (login, a supernode's registration, a
   * lookup, an inbox read), real ms. Absent: 5 s. A supernode that is gone costs a client this long
   * when its address no longer answers at all.
   */
  readonly requestTimeoutMs?: number;
  /**
   * What every client (a fleet's, or a peer's own) does when offline-messages answers an inbox query
   * with an error. `wait` (default): a failed fetch, retried at the next poll. `full-resync`: the client
   * takes its inbox for invalid and re-reads it at once in `resyncQueries` queries, and at every poll
   * until all of them are answered; many queries instead of one keep an erring store over its capacity.
   */
  readonly inboxErrors?: InboxErrorPolicy;
  /** Each fleet lets at most `perSecond` registrations with a supernode through, the rest waiting their turn; absent, no limit. */
  readonly startupThrottle?: StartupThrottle;
}

export interface StartupThrottle {
  /** Registrations a fleet lets through a second, its reconnections after a supernode restart included. */
  readonly perSecond: number;
}

export type InboxErrorPolicy = { readonly policy: 'wait' } | { readonly policy: 'full-resync'; readonly resyncQueries: number };

export type LinkGroup = 'clients' | 'supernodes' | 'harness';

/** Where a fault lands. Links are named `<from>-><node>`; groups select nodes by kind. */
export interface LinkTarget {
  readonly links: { readonly from: LinkGroup | 'any'; readonly to: NodeSelector };
}

export interface NodeTarget {
  readonly nodes: NodeSelector;
}

export type FaultTarget = LinkTarget | NodeTarget;

export type NodeGroup = 'login' | 'offline-messages' | 'supernodes' | 'fleets';

export interface NodeSelector {
  readonly group: NodeGroup;
  /** Pick a seeded random share of the group (0-1); all when absent. */
  readonly fraction?: number;
  /** Or pick a seeded random count. */
  readonly count?: number;
}

export type ToxicType = 'latency' | 'bandwidth' | 'slow_close' | 'timeout' | 'reset_peer' | 'slicer' | 'limit_data';

export interface ToxicSpec {
  readonly type: ToxicType;
  readonly stream?: 'upstream' | 'downstream';
  readonly toxicity?: number;
  readonly attributes: Readonly<Record<string, number>>;
}

/**
 * The step kinds a timeline may hold, by their `do`. The language lists none of them: each fault
 * kind in harness/faults/ adds its action here (declaration merging) beside its schema and inject,
 * and is registered in faults/registry.ts; scenario-schema-types.ts checks the two agree.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface StepActions {}

/** Undoes the fault a step created, by its id: the executor's own step, not a kind. */
export interface HealAction {
  readonly do: 'heal';
  readonly id: string;
}

export type TimelineAction = StepActions[keyof StepActions] | HealAction;

export interface TimelineStep {
  /** Offset from the end of the steady-state phase (scenario time). */
  readonly at: Duration;
  readonly action: TimelineAction;
  /** Only for these architectures; all when absent. */
  readonly only?: readonly Architecture[];
}

export type ProbeMetric = 'onlineFraction' | 'lookupSuccess' | 'supernodesAliveFraction';

export interface SteadyStateHypothesis {
  /** All probes must hold together for this long (scenario time)... */
  readonly hold: Duration;
  /** ...within this long after deployment (scenario time), or the run aborts. */
  readonly within: Duration;
  readonly probes: readonly { readonly metric: ProbeMetric; readonly atLeast: number }[];
}

export interface AbortCondition {
  readonly metric: ProbeMetric;
  readonly below: number;
  /** Sustained for (scenario time). */
  readonly for: Duration;
  /** Only after this offset on the timeline (scenario time). */
  readonly after?: Duration;
}

export interface Targets {
  /** Time from the first fault until online clients and lookup success are back to >= 95% of steady state, held for `recoveryHold`. */
  readonly recoveryWithin?: Duration;
  readonly recoveryHold?: Duration;
  /** Lowest online fraction (of steady state) allowed. */
  readonly availabilityFloor?: number;
  /** Largest share of supernodes lost directly (to the bug or the fault itself). */
  readonly maxSupernodeLossDirect?: number;
  /** Largest share lost in total (direct + self-protection cascade). */
  readonly maxSupernodeLossTotal?: number;
  readonly maxCascadeAmplification?: number;
  readonly minLookupSuccessAfterRecovery?: number;
  readonly maxMessagesLost?: number;
  /**
   * Time from each supernode crash the timeline makes until its clients that did not crash themselves
   * are online again on other supernodes (at most a tenth of them still without one): they re-homed
   * rather than waited for the box to return.
   */
  readonly rehomeWithin?: Duration;
}

/** A target (of `targets` or of the outage signature) a negative control must break, by its field name. */
export type TargetKey = Exclude<keyof Targets, 'recoveryHold'> | keyof OutageSignature | 'steadyState';

/**
 * A negative control: the scenario on a sabotaged system (one architecture, fields set by path, e.g.
 * `architectures.dedicated.topology.defects`), and the targets it must break. It is caught when every
 * one of them fails while the harness delivered its load.
 */
export interface NegativeControl {
  /** Lower-case words and dashes, e.g. `under-provisioned`. */
  readonly name: string;
  readonly architecture: Architecture;
  /** What is sabotaged, in words. */
  readonly sabotages: string;
  /** Field path (as `chaos sweep --param` writes it) to the value it takes in the sabotaged system. */
  readonly set: Readonly<Record<string, unknown>>;
  readonly mustBreak: readonly TargetKey[];
}

/**
 * What `reproduces-outage` demands of the run: only the fields it states are checked, and it must
 * state at least one that checks something (`cascadeContinuesAfterHeal: false` checks nothing).
 */
export interface OutageSignature {
  /** The share of supernodes lost directly falls in this range. */
  readonly supernodeLossDirect?: { readonly min: number; readonly max: number };
  /** Total loss at least this multiple of the direct loss. */
  readonly minCascadeAmplification?: number;
  /** Online low point at or below this fraction of steady state. */
  readonly maxOnlineLowPoint?: number;
  /** Supernodes keep dying after the trigger is healed. */
  readonly cascadeContinuesAfterHeal?: boolean;
  /** The network never gets back above this online fraction after its low point (no recovery without a remedy). */
  readonly maxOnlineAfterLowPoint?: number;
  /** The online fraction averaged over time from the first fault to the end of the timeline is at most this (a network that flaps counts its collapses). */
  readonly maxMeanOnline?: number;
}

export interface ArchitectureRun {
  readonly topology: TopologySpec;
  readonly expectation: Expectation;
  readonly targets: Targets;
  /** Required when the expectation is `reproduces-outage`. */
  readonly outage?: OutageSignature;
}

/** The real outage a scenario reproduces, and the public post-mortem it is built on. */
export interface ScenarioSource {
  /** Whose outage and when, in words, e.g. `"Skype, 22-24 December 2010"`. */
  readonly outage: string;
  /** The day the outage began, `YYYY-MM-DD`. */
  readonly date: string;
  /** The public post-mortem: its author, title and place, and/or its URL. */
  readonly reference: string;
}

/**
 * One figure of the post-mortem beside what a run measured, in every report (informational, not a
 * target): what is compared, the number as published, and that number in the scenario's own scale.
 */
export interface FidelityRow {
  /** What is compared, e.g. "online users at the low point, share of normal". */
  readonly quantity: string;
  /** The post-mortem's number, in words as published, e.g. "about 50%". */
  readonly published: string;
  /** The published number in the scenario's own scale (a share 0-1, scenario hours or a ratio, as the measure gives it). */
  readonly expected: number;
  readonly measure: FidelityMeasure;
}

/** What a run measures for a fidelity row. */
export type FidelityMeasure =
  /** Online share of steady state at T0+`at` (scenario time), at the nearest timeline sample. */
  | { readonly of: 'online-at'; readonly at: Duration }
  /** The online low point, a share of steady state. */
  | { readonly of: 'online-low-point' }
  /** Scenario hours of the timeline with the online share below `fraction`. */
  | { readonly of: 'hours-below'; readonly fraction: number }
  /** Scenario hours from the first fault to recovery. */
  | { readonly of: 'recovery-hours' }
  /** Share of the supernodes at steady state lost directly. */
  | { readonly of: 'supernode-loss-direct' }
  /** Share of the supernodes ever in the network lost in all. */
  | { readonly of: 'supernode-loss-total' }
  /** Total loss over direct loss. */
  | { readonly of: 'cascade-amplification' };

/** The scale a fidelity row's numbers are in, implied by its measure. */
export type FidelityUnit = 'share' | 'hours' | 'ratio';

export interface ScenarioDefinition {
  readonly name: string;
  readonly description: string;
  /** The outage the scenario reproduces, for scenarios built on a public post-mortem. */
  readonly source?: ScenarioSource;
  /** The post-mortem's figures to show beside each run's; none shown when absent. */
  readonly fidelity?: readonly FidelityRow[];
  readonly timeScale: TimeScale;
  readonly seed: number;
  readonly load: LoadSpec;
  readonly architectures: Readonly<Partial<Record<Architecture, ArchitectureRun>>>;
  readonly steadyState: SteadyStateHypothesis;
  readonly timeline: readonly TimelineStep[];
  /** Scenario time from the first timeline offset to the end of the run. */
  readonly duration: Duration;
  /** Sampling period, real milliseconds. */
  readonly sampleEveryMs: number;
  /**
   * Run the architectures, and the negative controls, one after the other instead of side by side (the
   * CLI's `--one-at-a-time` by default): for a scenario whose networks, run together, would load the host
   * past what the fleets can drive on time.
   */
  readonly oneAtATime?: boolean;
  readonly abortWhen: readonly AbortCondition[];
  /** Always run at the end (faults are healed regardless); extra actions here. */
  readonly rollbacks: readonly TimelineAction[];
  /** Sabotaged systems that `chaos run --controls` runs after the real architectures. */
  readonly controls?: readonly NegativeControl[];
}

/**
 * The `/status` document every service serves on its control port. The harness's observer
 * reads only what is named here; services may add more counters, gauges and histograms.
 */

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface NodeStatusBase {
  readonly role: 'echo' | 'login' | 'supernode' | 'offline-messages' | 'client-fleet';
  readonly name: string;
  /** True once the node serves (a supernode in its rejoin delay is not ready). */
  readonly ready: boolean;
  readonly uptimeSeconds: number;
  readonly counters: Readonly<Record<string, number>>;
  readonly gauges: Readonly<Record<string, number>>;
  readonly histograms?: Readonly<Record<string, LatencySummary>>;
}

/** Counter and gauge names the observer relies on, per role. */
export const StatusFields = {
  /** gauge of every service: p99 of its event-loop delay over the last second */
  eventLoopLagP99Seconds: 'eventLoopLagP99Seconds',
  fleet: {
    /** gauges */
    clientsTotal: 'clientsTotal',
    clientsOnline: 'clientsOnline',
    clientsCrashed: 'clientsCrashed',
    /** clients that lost their supernode in this life and have not found another */
    clientsRehoming: 'clientsRehoming',
    /** online clients re-reading an inbox they take for invalid (not counted in clientsOnline) */
    clientsResyncing: 'clientsResyncing',
    /** counters */
    lookupsOk: 'lookupsOk',
    lookupsFailed: 'lookupsFailed',
    crashes: 'crashes',
    restarts: 'restarts',
    imsAccepted: 'imsAccepted',
    imsReceived: 'imsReceived',
    imsDuplicate: 'imsDuplicate',
    reconnectAttempts: 'reconnectAttempts',
    /** gauges: attempts the load-offering schedules promised (lateness counts as its share of a period: fractional) and those made (cumulative) */
    attemptsScheduled: 'attemptsScheduled',
    attemptsMade: 'attemptsMade',
  },
  supernode: {
    /** gauges */
    sessions: 'sessions',
    capacitySessions: 'capacitySessions',
    requestRate: 'requestRate',
    capacityRequestRate: 'capacityRequestRate',
    /** load as a fraction of capacity: max(sessions/capacity, requestRate/capacity) */
    load: 'load',
    /** counters */
    lookupsServed: 'lookupsServed',
    registrationsRejected: 'registrationsRejected',
    /** refused because the load was above the threshold (admission `refuse-while-overloaded`) */
    registrationsRefusedOverloaded: 'registrationsRefusedOverloaded',
    selfProtectShutdowns: 'selfProtectShutdowns',
    /** out of service because login did not answer a registration within `registrationTimeoutMs`, or refused it */
    registrationTimeouts: 'registrationTimeouts',
    registrationRefusals: 'registrationRefusals',
    /** out of service because login did not answer a heartbeat within `registrationTimeoutMs` (with `heartbeatDeadline`) */
    heartbeatTimeouts: 'heartbeatTimeouts',
    /** out of service because login answered nothing (registration or heartbeat) for `loginLeaseMs` */
    leaseExpiries: 'leaseExpiries',
  },
  offlineMessages: {
    /** gauges */
    pending: 'pending',
    queueDepth: 'queueDepth',
    /** counters */
    stored: 'stored',
    delivered: 'delivered',
    duplicatesSuppressed: 'duplicatesSuppressed',
  },
  login: {
    /** gauges */
    liveSupernodes: 'liveSupernodes',
    /** requests waiting for (or in) their answer, with a directory `capacity`; 0 without */
    queueDepth: 'queueDepth',
    /** p99 of the time from a request's arrival to its answer, over the answers of the last second */
    answerLatencyP99Seconds: 'answerLatencyP99Seconds',
    /** counters */
    logins: 'logins',
    promotions: 'promotions',
    /** refused with a `busy` error frame: the directory's queue was full */
    requestsRefused: 'requestsRefused',
  },
} as const;

export interface SupernodeStatus extends NodeStatusBase {
  readonly role: 'supernode';
  /** `peer` runs client code (a promoted client); `dedicated` is a hosted box. */
  readonly mode: 'peer' | 'dedicated';
  /** `standby`: a peer running only as a client, not (yet) promoted. */
  readonly state: 'standby' | 'joining' | 'serving' | 'shutting-down';
  /** The client version a peer runs (absent for dedicated). */
  readonly clientVersion?: string;
}

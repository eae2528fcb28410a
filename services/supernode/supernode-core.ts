import type { WebSocket } from 'ws';
import type { Registry } from 'prom-client';
import type { Clock } from '../common/clock.js';
import { StatusCounters } from '../common/status-metrics.js';
import { PendingRequests } from '../common/timeout-map.js';
import { authToken, supernodeSubject } from '../protocol/auth-token.js';
import { CloseCode } from '../protocol/error-codes.js';
import type { SupernodeStatus } from '../protocol/status.js';
import { LoadMeter } from './overload-guard.js';
import { OverlayNetwork } from './overlay-network.js';
import type { SupernodeConfig } from './supernode-config.js';
import { dialOfflineShards } from './offline-shards.js';
import { StartupLookup, startupCounterNames } from './startup-cache.js';

export const supernodeCounterNames = [
  'lookupsServed',
  'overlayLookupsServed',
  'registrations',
  'registrationsRejected',
  'registrationsRefusedOverloaded',
  'selfProtectShutdowns',
  'requests',
  'badFrames',
  'sessionsExpired',
  'imsDeliveredLocal',
  'imsForwarded',
  'imsUndeliverable',
  'connectionsOffered',
  'registrationTimeouts',
  'registrationRefusals',
  'heartbeatTimeouts',
  'leaseExpiries',
  ...startupCounterNames,
] as const;

export type SupernodeState = SupernodeStatus['state'];

/** Why a supernode takes itself out of service, each counted apart. */
export type OutOfServiceCause = 'registration-timeout' | 'registration-refused' | 'heartbeat-timeout' | 'lease-expired';

const outOfServiceCounters = {
  'registration-timeout': 'registrationTimeouts',
  'registration-refused': 'registrationRefusals',
  'heartbeat-timeout': 'heartbeatTimeouts',
  'lease-expired': 'leaseExpiries',
} as const satisfies Record<OutOfServiceCause, (typeof supernodeCounterNames)[number]>;

/** One inbound WebSocket: `new` until it registers (a client session) or says hello (an overlay link). */
export interface Connection {
  readonly socket: WebSocket;
  readonly openedAt: number;
  kind: 'new' | 'client' | 'overlay';
  userId: string;
  lastHeartbeat: number;
}

/**
 * What every conversation of one supernode shares: its state, its sessions and connections,
 * its counters, its load and its overlay.
 */
export class SupernodeCore {
  state: SupernodeState;
  readonly counters: StatusCounters<(typeof supernodeCounterNames)[number]>;
  readonly meter: LoadMeter;
  readonly ownToken: string;
  readonly overlay: OverlayNetwork;
  /** Registered client sessions by user id. */
  readonly sessions = new Map<string, Connection>();
  readonly connections = new Set<Connection>();
  /** IMs pushed to a local session, waiting for its `im-ack` (by `<userId>\n<messageId>`). */
  readonly imAcks = new PendingRequests<true>();
  /** With `startupCache`: a registration waits for the client's state, from the cache or the offline stores. */
  readonly startup: StartupLookup | undefined;
  private rejoinTimer: NodeJS.Timeout | undefined;
  private rejoinPending = false;
  /** Out of service because login did not answer a registration or heartbeat in time, refused a registration, or let the lease expire. */
  private outOfService = false;

  constructor(
    readonly name: string,
    readonly config: SupernodeConfig,
    readonly clock: Clock,
    registry: Registry,
  ) {
    this.counters = new StatusCounters(registry, 'chaos_supernode', supernodeCounterNames);
    this.meter = new LoadMeter(clock, config.capacity, config.loadWindowMs, config.admissionWindowMs);
    this.ownToken = authToken(config.secret, supernodeSubject(name));
    this.overlay = new OverlayNetwork({ selfName: name, token: this.ownToken, timeoutMs: config.overlayTimeoutMs, clock });
    this.state = config.mode === 'peer' && config.standby ? 'standby' : 'joining';
    const cache = config.startupCache;
    this.startup =
      cache === undefined
        ? undefined
        : new StartupLookup(cache, { shards: dialOfflineShards(cache.shardAddresses, clock), now: () => clock.now(), counters: this.counters });
  }

  load(): number {
    return this.meter.load(this.sessions.size);
  }

  /** Load over the last second: whether a login can be answered right now (admission). */
  loadNow(): number {
    return this.meter.loadNow(this.sessions.size);
  }

  /** Joins (at start, or when promoted): answers not-ready for the rejoin delay, then serves. */
  becomeJoining(): void {
    this.state = 'joining';
    this.rejoinPending = true;
    console.log(`[${this.name}] joining: serving in ${this.config.rejoinDelayMs} ms`);
    this.rejoinTimer = setTimeout(() => {
      this.rejoinPending = false;
      if (this.state !== 'joining' || this.outOfService) return;
      this.state = 'serving';
      console.log(`[${this.name}] serving`);
    }, this.config.rejoinDelayMs);
  }

  /**
   * Login did not answer a registration or heartbeat in time, refused a registration, or has not answered
   * anything for the lease: stop serving and send every client elsewhere; the overlay links stay. A
   * no-op while standby or shutting down.
   */
  takeOutOfService(cause: OutOfServiceCause, reason: string): void {
    if (this.state !== 'joining' && this.state !== 'serving') return;
    this.counters.inc(outOfServiceCounters[cause]);
    this.outOfService = true;
    this.state = 'joining';
    console.error(`[${this.name}] out of service: ${reason}`);
    for (const connection of this.connections) {
      if (connection.kind !== 'overlay') connection.socket.close(CloseCode.tryAgainLater, `supernode out of service: ${reason}`);
    }
  }

  /** A registration was answered in time: serve again (once the rejoin delay is over). True when it now serves. */
  returnToService(): boolean {
    this.outOfService = false;
    if (this.state === 'joining' && !this.rejoinPending) {
      this.state = 'serving';
      console.log(`[${this.name}] serving again: login answered its registration in time`);
    }
    return this.state === 'serving';
  }

  stopJoining(): void {
    if (this.rejoinTimer !== undefined) clearTimeout(this.rejoinTimer);
  }
}

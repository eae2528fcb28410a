import type { WebSocket } from 'ws';
import type { Registry } from 'prom-client';
import type { Clock } from '../common/clock.js';
import { StatusCounters } from '../common/status-metrics.js';
import { PendingRequests } from '../common/timeout-map.js';
import { authToken, supernodeSubject } from '../protocol/auth-token.js';
import type { SupernodeStatus } from '../protocol/status.js';
import { LoadMeter } from './overload-guard.js';
import { OverlayNetwork } from './overlay-network.js';
import type { SupernodeConfig } from './supernode-config.js';

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
] as const;

export type SupernodeState = SupernodeStatus['state'];

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
  private rejoinTimer: NodeJS.Timeout | undefined;

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
    console.log(`[${this.name}] joining: serving in ${this.config.rejoinDelayMs} ms`);
    this.rejoinTimer = setTimeout(() => {
      if (this.state !== 'joining') return;
      this.state = 'serving';
      console.log(`[${this.name}] serving`);
    }, this.config.rejoinDelayMs);
  }

  stopJoining(): void {
    if (this.rejoinTimer !== undefined) clearTimeout(this.rejoinTimer);
  }
}

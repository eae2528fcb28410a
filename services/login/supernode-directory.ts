import type { Random } from '../common/seeded-random.js';
import type { HostEntry, OverlayPeer } from '../protocol/frame-fields.js';

export interface SupernodeRecord {
  readonly name: string;
  clientAddress: string;
  overlayAddress: string;
  mode: 'peer' | 'dedicated';
  state: 'standby' | 'joining' | 'serving' | 'shutting-down';
  load: number;
  sessions: number;
  /** The session slots it registered with; unknown to a directory fed without them. */
  capacitySessions?: number;
  registeredAt: number;
  lastSeen: number;
}

export interface StandbyPeer {
  readonly name: string;
  publicAddress: boolean;
  bandwidthKbps: number;
  uptimeSeconds: number;
  lastSeen: number;
  promotedAt: number | undefined;
}

export interface DirectoryTuning {
  readonly heartbeatTimeoutMs: number;
  readonly rejoinDelayMs: number;
  readonly wantedSupernodes: number;
  readonly promotionPendingMs: number;
  /** The stale-affinity defect: see `hostCacheFor`. */
  readonly pinUsersToFirstSupernode?: boolean;
  /** How a host cache is filled: `random` (default) or `least-loaded` (see `hostCache`). */
  readonly allocation?: 'random' | 'least-loaded';
}

/** Session slots a supernode had free at its last heartbeat (fewest sessions first when its capacity is unknown). */
function freeSessions(record: SupernodeRecord): number {
  return record.capacitySessions === undefined ? -record.sessions : record.capacitySessions - record.sessions;
}

/** Login's view of the supernodes: liveness, what to hand out, whom to promote. Pure; time is passed in. */
export class SupernodeDirectory {
  private readonly supernodes = new Map<string, SupernodeRecord>();
  private readonly standby = new Map<string, StandbyPeer>();
  /** The pinned supernode of each user, kept apart from the records so that pruning never unpins. */
  private readonly pins = new Map<string, HostEntry>();

  constructor(private readonly tuning: DirectoryTuning) {}

  register(record: Omit<SupernodeRecord, 'registeredAt' | 'lastSeen' | 'load' | 'sessions'>, now: number): void {
    this.standby.delete(record.name);
    this.supernodes.set(record.name, { ...record, load: 0, sessions: 0, registeredAt: now, lastSeen: now });
  }

  heartbeat(name: string, update: { load: number; sessions: number; state: SupernodeRecord['state'] }, now: number): boolean {
    const record = this.supernodes.get(name);
    if (record === undefined) return false;
    Object.assign(record, update, { lastSeen: now });
    return true;
  }

  /** The supernode's login connection closed: treat it as dead until it registers again. */
  lost(name: string): void {
    const record = this.supernodes.get(name);
    if (record !== undefined) record.lastSeen = -Infinity;
    this.standby.delete(name);
  }

  standbyHello(peer: Omit<StandbyPeer, 'lastSeen' | 'promotedAt'>, now: number): void {
    const previous = this.standby.get(peer.name);
    this.standby.set(peer.name, { ...peer, lastSeen: now, promotedAt: previous?.promotedAt });
  }

  isLive(record: SupernodeRecord, now: number): boolean {
    return now - record.lastSeen <= this.tuning.heartbeatTimeoutMs && record.state !== 'shutting-down';
  }

  /** Live, serving, and past login's own rejoin delay: the only supernodes handed out. */
  isUsable(record: SupernodeRecord, now: number): boolean {
    return this.isLive(record, now) && record.state === 'serving' && now - record.registeredAt >= this.tuning.rejoinDelayMs;
  }

  usable(now: number): SupernodeRecord[] {
    return [...this.supernodes.values()].filter((record) => this.isUsable(record, now));
  }

  liveCount(now: number): number {
    return [...this.supernodes.values()].filter((record) => this.isLive(record, now)).length;
  }

  standbyCount(): number {
    return [...this.standby.values()].filter((peer) => peer.promotedAt === undefined).length;
  }

  /**
   * Up to `size` usable supernodes, in a seeded random order; with `least-loaded`, the most free
   * session slots first (ties in that order). Free slots are what each supernode said at its last
   * heartbeat: login does not count what it hands out in between.
   */
  hostCache(random: Random, size: number, now: number): HostEntry[] {
    const shuffled = random.shuffle(this.usable(now));
    const ordered = this.tuning.allocation === 'least-loaded' ? shuffled.sort((a, b) => freeSessions(b) - freeSessions(a)) : shuffled;
    return ordered
      .slice(0, size)
      .map((record) => ({ name: record.name, address: record.clientAddress }));
  }

  /**
   * The host cache for one user. With pinning, the first time a seeded pick of one usable supernode,
   * which the user is pinned to; from then on that supernode alone, whether it is live or dead.
   */
  hostCacheFor(userId: string, random: Random, size: number, now: number): HostEntry[] {
    if (this.tuning.pinUsersToFirstSupernode !== true) return this.hostCache(random, size, now);
    const pinned = this.pins.get(userId) ?? this.pickPin(random, now);
    if (pinned === undefined) return [];
    this.pins.set(userId, pinned);
    return [pinned];
  }

  private pickPin(random: Random, now: number): HostEntry | undefined {
    const usable = this.usable(now);
    if (usable.length === 0) return undefined;
    const record = random.pick(usable);
    return { name: record.name, address: record.clientAddress };
  }

  overlayPeers(now: number, except: string): OverlayPeer[] {
    return [...this.supernodes.values()]
      .filter((record) => record.name !== except && this.isLive(record, now) && record.state === 'serving')
      .map((record) => ({ name: record.name, overlayAddress: record.overlayAddress }));
  }

  /** Standby peers to promote now (best first: public address, bandwidth, uptime), marked as promoted. */
  choosePromotions(now: number): string[] {
    const live = this.liveCount(now);
    const pending = [...this.standby.values()].filter(
      (peer) => peer.promotedAt !== undefined && now - peer.promotedAt < this.tuning.promotionPendingMs,
    ).length;
    const shortage = this.tuning.wantedSupernodes - live - pending;
    if (shortage <= 0) return [];
    const candidates = [...this.standby.values()]
      .filter((peer) => peer.publicAddress && (peer.promotedAt === undefined || now - peer.promotedAt >= this.tuning.promotionPendingMs))
      .filter((peer) => now - peer.lastSeen <= this.tuning.heartbeatTimeoutMs)
      .sort((a, b) => b.bandwidthKbps - a.bandwidthKbps || b.uptimeSeconds - a.uptimeSeconds || a.name.localeCompare(b.name))
      .slice(0, shortage);
    for (const peer of candidates) peer.promotedAt = now;
    return candidates.map((peer) => peer.name);
  }

  /** Forgets supernodes dead for a long time, keeping memory bounded. */
  prune(now: number): void {
    for (const [name, record] of this.supernodes) {
      if (now - record.lastSeen > this.tuning.heartbeatTimeoutMs * 20) this.supernodes.delete(name);
    }
    for (const [name, peer] of this.standby) {
      if (now - peer.lastSeen > this.tuning.heartbeatTimeoutMs * 20) this.standby.delete(name);
    }
  }
}

import { FrameChannel } from '../common/frame-channel.js';
import { PendingRequests } from '../common/timeout-map.js';
import { createFrameDecoder } from '../protocol/frame-codec.js';
import type { HostEntry } from '../protocol/frame-fields.js';
import { supernodeToClient, type SupernodeToClient } from '../protocol/frames.js';
import type { ClientLife } from './client-life.js';
import { firstReply } from './first-reply.js';
import type { InstantMessages } from './instant-messages.js';
import type { OfflineInbox } from './offline-inbox.js';
import type { RetrySchedule } from './retry-schedule.js';

const supernodeDecoder = createFrameDecoder(supernodeToClient);

/**
 * The client's conversation with a supernode: register with the next host-cache entry, then
 * heartbeats, lookups and IMs over the session until it is lost, then the next entry (and
 * when the cache runs out, log in again).
 */
export class SupernodeSession {
  private cache: HostEntry[] = [];
  private cacheIndex = 0;
  private attemptsThisLife = 0;
  private channel: FrameChannel<SupernodeToClient> | undefined;
  private readonly pending = new PendingRequests<SupernodeToClient>();
  private readonly heartbeatSentAt = new Map<number, number>();
  private heartbeatSeq = 0;
  private lastAckAt = 0;

  constructor(
    private readonly core: ClientLife,
    private readonly retry: RetrySchedule,
    private readonly ims: InstantMessages,
    private readonly inbox: OfflineInbox,
    private readonly relogin: (life: number) => void,
  ) {}

  newLife(): void {
    this.attemptsThisLife = 0;
  }

  /** The supernodes to try, in this order, from the first. */
  useHostCache(entries: HostEntry[]): void {
    this.cache = entries;
    this.cacheIndex = 0;
  }

  get knowsSupernodes(): boolean {
    return this.cache.length > 0;
  }

  /** Forgets the session (before it is ended: its close must not act) and returns it. */
  detach(): FrameChannel<SupernodeToClient> | undefined {
    const channel = this.channel;
    this.channel = undefined;
    return channel;
  }

  clearHeartbeats(): void {
    this.heartbeatSentAt.clear();
  }

  failAll(): void {
    this.pending.failAll();
  }

  /** Tries the next host-cache entry; past the last one, logs in again for a fresh cache. */
  connectNext(life: number): void {
    const core = this.core;
    if (!core.alive(life)) return;
    const entry = this.cache[this.cacheIndex];
    if (entry === undefined) {
      this.relogin(life);
      return;
    }
    this.cacheIndex += 1;
    core.state = 'connecting';
    if (this.attemptsThisLife > 0) core.ctx.stats.inc('reconnectAttempts');
    this.attemptsThisLife += 1;
    this.retry.attemptStarted();
    const throttle = core.ctx.startupThrottle;
    if (throttle === undefined) void this.register(life, entry);
    else core.ctx.scheduler.after(throttle.reserve(), () => void (core.alive(life) && this.register(life, entry)));
  }

  private retryLater(life: number): void {
    this.retry.afterAttempt(() => this.connectNext(life));
  }

  private async register(life: number, entry: HostEntry): Promise<void> {
    const { ctx, behaviour } = this.core;
    const deadline = ctx.clock.now() + behaviour.requestTimeoutMs;
    const channel = await FrameChannel.open(entry.address, supernodeDecoder, deadline - ctx.clock.now());
    if (!this.core.alive(life)) {
      channel?.terminate();
      return;
    }
    if (channel === undefined) {
      this.retryLater(life);
      return;
    }
    const reply = await firstReply(channel, Math.max(50, deadline - ctx.clock.now()), () =>
      channel.send({ type: 'register', userId: this.core.userId, token: this.core.token(), clientVersion: this.core.identity.clientVersion }),
    );
    if (!this.core.alive(life)) {
      channel.terminate();
      return;
    }
    if (reply?.type !== 'registered' || !channel.isOpen) {
      ctx.stats.inc('registrationsRejected');
      channel.close('registration failed');
      this.retryLater(life);
      return;
    }
    ctx.stats.inc('registrations');
    this.goOnline(life, channel);
  }

  private goOnline(life: number, channel: FrameChannel<SupernodeToClient>): void {
    const core = this.core;
    this.channel = channel;
    core.state = 'online';
    core.displaced = false;
    this.retry.reset();
    this.lastAckAt = core.ctx.clock.now();
    channel.onFrame = (frame) => this.onFrame(life, channel, frame);
    channel.onClose = () => this.sessionLost(life, channel);
    const random = core.identity.random;
    const behaviour = core.behaviour;
    const active = (): boolean => core.alive(life) && this.channel === channel;
    /** Every repeated action offers load: `periodMs`, its (mean) interval, meters its lateness. */
    const repeat = (firstMs: number, nextMs: () => number, action: () => void, periodMs: number): void => {
      const run = (): void => {
        if (!active()) return;
        action();
        if (active()) core.ctx.scheduler.after(nextMs(), run, periodMs);
      };
      core.ctx.scheduler.after(firstMs, run, periodMs);
    };
    const heartbeatMs = behaviour.heartbeatIntervalMs;
    repeat(random.next() * heartbeatMs, () => heartbeatMs, () => this.heartbeat(channel), heartbeatMs);
    const poisson = (meanMs: number) => () => -Math.log(1 - random.next()) * meanMs;
    if (behaviour.lookupsPerClientPerMinute > 0 && behaviour.contacts.length > 0) {
      const meanMs = 60_000 / behaviour.lookupsPerClientPerMinute;
      const gap = poisson(meanMs);
      repeat(gap(), gap, () => void this.lookup(life, channel), meanMs);
    }
    if (behaviour.imsPerClientPerMinute > 0 && behaviour.contacts.length > 0) {
      const meanMs = 60_000 / behaviour.imsPerClientPerMinute;
      const gap = poisson(meanMs);
      repeat(gap(), gap, () => this.ims.send(life, channel), meanMs);
    }
    if (behaviour.offlinePollIntervalMs > 0) {
      const pollMs = behaviour.offlinePollIntervalMs;
      repeat(random.next() * pollMs, () => pollMs, () => void this.inbox.fetch(life), pollMs);
    }
  }

  private heartbeat(channel: FrameChannel<SupernodeToClient>): void {
    const { ctx, behaviour } = this.core;
    const now = ctx.clock.now();
    const timeoutMs = behaviour.heartbeatTimeoutMs ?? behaviour.heartbeatIntervalMs * 3;
    if (now - this.lastAckAt > timeoutMs) {
      ctx.stats.inc('heartbeatTimeouts');
      channel.terminate();
      return;
    }
    this.heartbeatSeq += 1;
    this.heartbeatSentAt.set(this.heartbeatSeq, now);
    this.heartbeatSentAt.delete(this.heartbeatSeq - 16);
    channel.send({ type: 'heartbeat', seq: this.heartbeatSeq });
  }

  private onFrame(life: number, channel: FrameChannel<SupernodeToClient>, frame: SupernodeToClient): void {
    if (!this.core.alive(life)) return;
    switch (frame.type) {
      case 'heartbeat-ack':
        this.heartbeatAcked(frame.seq);
        return;
      case 'lookup-result':
        this.pending.resolve(frame.requestId, frame);
        return;
      case 'error':
        if (frame.requestId !== undefined) this.pending.resolve(frame.requestId, frame);
        return;
      case 'im':
        this.core.deliver(frame.messageId);
        channel.send({ type: 'im-ack', messageId: frame.messageId });
        return;
      case 'im-accepted':
        this.ims.accepted(frame.messageId);
        return;
      case 'im-undeliverable':
        this.ims.fallBackToOffline(life, frame.messageId);
        return;
      case 'registered':
        return;
    }
  }

  private heartbeatAcked(seq: number): void {
    const sentAt = this.heartbeatSentAt.get(seq);
    if (sentAt === undefined) return;
    this.heartbeatSentAt.delete(seq);
    this.lastAckAt = this.core.ctx.clock.now();
    this.core.ctx.stats.heartbeatRtt.record(this.lastAckAt - sentAt);
  }

  private sessionLost(life: number, channel: FrameChannel<SupernodeToClient>): void {
    const core = this.core;
    if (!core.alive(life) || this.channel !== channel) return;
    this.channel = undefined;
    core.state = 'connecting';
    core.displaced = true;
    core.ctx.stats.inc('sessionsLost');
    this.pending.failAll();
    this.ims.fallBackAll(life);
    this.retryLater(life);
  }

  private async lookup(life: number, channel: FrameChannel<SupernodeToClient>): Promise<void> {
    const { ctx, identity, userId } = this.core;
    const contact = ctx.pickContact(identity.random, userId);
    if (contact === undefined) return;
    const requestId = this.core.nextRequestId('l');
    const started = ctx.clock.now();
    channel.send({ type: 'lookup', requestId, userId: contact });
    const reply = await this.pending.wait(requestId, this.core.behaviour.requestTimeoutMs);
    if (life !== this.core.current) return;
    if (reply?.type === 'lookup-result' && (reply.found || reply.complete)) {
      ctx.stats.inc('lookupsOk');
      ctx.stats.lookupLatency.record(ctx.clock.now() - started);
    } else {
      ctx.stats.inc('lookupsFailed');
    }
  }
}

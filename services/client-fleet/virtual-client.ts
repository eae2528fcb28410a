import { FrameChannel } from '../common/frame-channel.js';
import { PendingRequests } from '../common/timeout-map.js';
import { authToken } from '../protocol/auth-token.js';
import { createFrameDecoder } from '../protocol/frame-codec.js';
import type { HostEntry } from '../protocol/frame-fields.js';
import {
  loginToClient,
  offlineToClient,
  supernodeToClient,
  type OfflineInbound,
  type OfflineToClient,
  type Outbound,
  type SupernodeToClient,
} from '../protocol/frames.js';
import { crashesOnReply } from './bug-trigger.js';
import type { ClientContext, ClientIdentity } from './client-context.js';
import { reconnectDelay } from './reconnect-policy.js';
import { UserDisk } from './user-disk.js';

const loginDecoder = createFrameDecoder(loginToClient);
const supernodeDecoder = createFrameDecoder(supernodeToClient);
const offlineDecoder = createFrameDecoder(offlineToClient);

const maxFetchRounds = 20;

export type ClientState = 'stopped' | 'logging-in' | 'connecting' | 'online' | 'crashed';

interface PendingIm {
  readonly to: string;
  readonly body: string;
  readonly timeout: { cancel(): void };
}

/**
 * One user's client: login → host cache → register with a supernode → heartbeats, lookups,
 * IMs and offline-message fetches. A crash is its real death: sockets terminated, state dropped.
 * Every continuation checks its `life`, so nothing from a previous life acts on the next one.
 */
export class VirtualClient {
  state: ClientState = 'stopped';
  /** Kept across crashes: the user's machine. */
  readonly disk = new UserDisk();
  private life = 0;
  private cache: HostEntry[] = [];
  private cacheIndex = 0;
  private failures = 0;
  /** When the current connection attempt started: a naive client keeps its cadence from there. */
  private attemptStartedAt = 0;
  private attemptsThisLife = 0;
  private fetching = false;
  private supernode: FrameChannel<SupernodeToClient> | undefined;
  private offline: FrameChannel<OfflineToClient> | undefined;
  private offlineOpening: Promise<FrameChannel<OfflineToClient> | undefined> | undefined;
  private readonly offlinePending = new PendingRequests<OfflineToClient>();
  private readonly offlineSentAt = new Map<string, number>();
  private readonly supernodePending = new PendingRequests<SupernodeToClient>();
  private readonly ims = new Map<string, PendingIm>();
  private readonly heartbeatSentAt = new Map<number, number>();
  private heartbeatSeq = 0;
  private lastAckAt = 0;
  private requestSeq = 0;

  constructor(
    readonly identity: ClientIdentity,
    private readonly ctx: ClientContext,
  ) {}

  get userId(): string {
    return this.identity.userId;
  }

  /** Starts a new life: log in, fetch offline messages, find a supernode. */
  start(): void {
    this.life += 1;
    this.state = 'logging-in';
    this.failures = 0;
    this.attemptsThisLife = 0;
    this.fetching = false;
    void this.login(this.life, true);
  }

  /** The 2010 bug, or any other client death: everything in memory is gone. */
  crash(reason: string): void {
    if (this.state === 'crashed' || this.state === 'stopped') return;
    this.endLife('crashed', (channel) => channel.terminate());
    this.ctx.stats.inc('crashes');
    this.ctx.onCrash(this.userId, reason);
  }

  /** Graceful quit (process shutdown). */
  stop(): void {
    this.endLife('stopped', (channel) => channel.close('client quitting'));
  }

  private endLife(state: 'crashed' | 'stopped', end: (channel: { terminate(): void; close(reason: string): void }) => void): void {
    this.life += 1;
    this.state = state;
    const supernode = this.supernode;
    const offline = this.offline;
    this.supernode = undefined;
    this.offline = undefined;
    this.offlineOpening = undefined;
    if (supernode !== undefined) end(supernode);
    if (offline !== undefined) end(offline);
    for (const pending of this.ims.values()) pending.timeout.cancel();
    this.ims.clear();
    this.offlineSentAt.clear();
    this.heartbeatSentAt.clear();
    this.offlinePending.failAll();
    this.supernodePending.failAll();
  }

  private alive(life: number): boolean {
    return life === this.life && this.state !== 'crashed' && this.state !== 'stopped';
  }

  private get behaviour() {
    return this.ctx.behaviour;
  }

  private token(): string {
    return authToken(this.behaviour.secret, this.userId);
  }

  private nextRequestId(prefix: string): string {
    this.requestSeq += 1;
    return `${prefix}${this.requestSeq}`;
  }

  private async login(life: number, fetchAfter: boolean): Promise<void> {
    this.state = 'logging-in';
    const timeoutMs = this.behaviour.requestTimeoutMs;
    const channel = await FrameChannel.open(this.behaviour.loginAddress, loginDecoder, timeoutMs);
    if (!this.alive(life)) {
      channel?.terminate();
      return;
    }
    let entries: readonly HostEntry[] | undefined;
    if (channel !== undefined) {
      const reply = await firstReply(channel, timeoutMs, () =>
        channel.send({ type: 'login', userId: this.userId, token: this.token(), clientVersion: this.identity.clientVersion }),
      );
      channel.close('logged in');
      if (reply?.type === 'login-ok') {
        this.ctx.stats.inc('logins');
        entries = reply.hostCache;
      }
    }
    if (!this.alive(life)) return;
    if (entries === undefined) this.ctx.stats.inc('loginFailures');
    if (entries !== undefined && entries.length > 0) {
      this.disk.hostCache = entries;
    } else if (this.disk.hostCache.length > 0) {
      this.ctx.stats.inc('hostCacheFallbacks');
      entries = this.disk.hostCache;
    }
    this.cache = this.identity.random.shuffle(entries ?? []);
    this.cacheIndex = 0;
    if (fetchAfter) void this.fetchOffline(life);
    if (this.cache.length === 0) {
      // No supernode known (fresh install, none usable, login down): log in again on the retry schedule.
      this.failures += 1;
      const delay = this.retryDelay();
      this.ctx.scheduler.after(delay, () => {
        if (this.alive(life)) void this.login(life, false);
      }, this.retryPeriod(delay));
      return;
    }
    this.connectNext(life);
  }

  private retryDelay(): number {
    return reconnectDelay(this.behaviour.reconnect, this.failures, this.identity.random);
  }

  private connectNext(life: number): void {
    if (!this.alive(life)) return;
    const entry = this.cache[this.cacheIndex];
    if (entry === undefined) {
      void this.login(life, false);
      return;
    }
    this.cacheIndex += 1;
    this.state = 'connecting';
    if (this.attemptsThisLife > 0) this.ctx.stats.inc('reconnectAttempts');
    this.attemptsThisLife += 1;
    this.attemptStartedAt = this.ctx.clock.now();
    void this.register(life, entry);
  }

  /** Only a naive client retries on a period whose late runs skip attempts; a backed-off retry is one attempt, late or not. */
  private retryPeriod(delay: number): number | undefined {
    return this.behaviour.reconnect.policy === 'naive' ? delay : undefined;
  }

  private retryLater(life: number): void {
    this.failures += 1;
    const delay = this.retryDelay();
    // Naive: one attempt every interval, counted from the attempt's start however long it took.
    const wait = this.behaviour.reconnect.policy === 'naive' ? Math.max(0, this.attemptStartedAt + delay - this.ctx.clock.now()) : delay;
    this.ctx.scheduler.after(wait, () => this.connectNext(life), this.retryPeriod(delay));
  }

  private async register(life: number, entry: HostEntry): Promise<void> {
    const deadline = this.ctx.clock.now() + this.behaviour.requestTimeoutMs;
    const channel = await FrameChannel.open(entry.address, supernodeDecoder, deadline - this.ctx.clock.now());
    if (!this.alive(life)) {
      channel?.terminate();
      return;
    }
    if (channel === undefined) {
      this.retryLater(life);
      return;
    }
    const reply = await firstReply(channel, Math.max(50, deadline - this.ctx.clock.now()), () =>
      channel.send({ type: 'register', userId: this.userId, token: this.token(), clientVersion: this.identity.clientVersion }),
    );
    if (!this.alive(life)) {
      channel.terminate();
      return;
    }
    if (reply?.type !== 'registered' || !channel.isOpen) {
      this.ctx.stats.inc('registrationsRejected');
      channel.close('registration failed');
      this.retryLater(life);
      return;
    }
    this.ctx.stats.inc('registrations');
    this.goOnline(life, channel);
  }

  private goOnline(life: number, channel: FrameChannel<SupernodeToClient>): void {
    this.supernode = channel;
    this.state = 'online';
    this.failures = 0;
    this.lastAckAt = this.ctx.clock.now();
    channel.onFrame = (frame) => this.onSupernodeFrame(life, channel, frame);
    channel.onClose = () => this.sessionLost(life, channel);
    const random = this.identity.random;
    const behaviour = this.behaviour;
    const active = (): boolean => this.alive(life) && this.supernode === channel;
    const repeat = (firstMs: number, nextMs: () => number, action: () => void, periodMs?: number): void => {
      const run = (): void => {
        if (!active()) return;
        action();
        if (active()) this.ctx.scheduler.after(nextMs(), run, periodMs);
      };
      this.ctx.scheduler.after(firstMs, run, periodMs);
    };
    const heartbeatMs = behaviour.heartbeatIntervalMs;
    repeat(random.next() * heartbeatMs, () => heartbeatMs, () => this.heartbeat(channel), heartbeatMs);
    const poisson = (perMinute: number) => () => (-Math.log(1 - random.next()) * 60_000) / perMinute;
    if (behaviour.lookupsPerClientPerMinute > 0 && behaviour.contacts.length > 0) {
      const gap = poisson(behaviour.lookupsPerClientPerMinute);
      repeat(gap(), gap, () => void this.lookup(life, channel));
    }
    if (behaviour.imsPerClientPerMinute > 0 && behaviour.contacts.length > 0) {
      const gap = poisson(behaviour.imsPerClientPerMinute);
      repeat(gap(), gap, () => this.sendIm(life, channel));
    }
    if (behaviour.offlinePollIntervalMs > 0) {
      const pollMs = behaviour.offlinePollIntervalMs;
      repeat(random.next() * pollMs, () => pollMs, () => void this.fetchOffline(life));
    }
  }

  private heartbeat(channel: FrameChannel<SupernodeToClient>): void {
    const now = this.ctx.clock.now();
    const timeoutMs = this.behaviour.heartbeatTimeoutMs ?? this.behaviour.heartbeatIntervalMs * 3;
    if (now - this.lastAckAt > timeoutMs) {
      this.ctx.stats.inc('heartbeatTimeouts');
      channel.terminate();
      return;
    }
    this.heartbeatSeq += 1;
    this.heartbeatSentAt.set(this.heartbeatSeq, now);
    this.heartbeatSentAt.delete(this.heartbeatSeq - 16);
    channel.send({ type: 'heartbeat', seq: this.heartbeatSeq });
  }

  private onSupernodeFrame(life: number, channel: FrameChannel<SupernodeToClient>, frame: SupernodeToClient): void {
    if (!this.alive(life)) return;
    switch (frame.type) {
      case 'heartbeat-ack': {
        const sentAt = this.heartbeatSentAt.get(frame.seq);
        if (sentAt === undefined) return;
        this.heartbeatSentAt.delete(frame.seq);
        this.lastAckAt = this.ctx.clock.now();
        this.ctx.stats.heartbeatRtt.record(this.lastAckAt - sentAt);
        return;
      }
      case 'lookup-result':
        this.supernodePending.resolve(frame.requestId, frame);
        return;
      case 'error':
        if (frame.requestId !== undefined) this.supernodePending.resolve(frame.requestId, frame);
        return;
      case 'im':
        this.deliver(frame.messageId);
        channel.send({ type: 'im-ack', messageId: frame.messageId });
        return;
      case 'im-accepted': {
        const pending = this.ims.get(frame.messageId);
        if (pending === undefined) return;
        this.ims.delete(frame.messageId);
        pending.timeout.cancel();
        this.ctx.ledger.record('accepted', frame.messageId);
        this.ctx.stats.inc('imsAccepted');
        this.ctx.stats.inc('imsAcceptedDirect');
        return;
      }
      case 'im-undeliverable':
        this.fallBackToOffline(life, frame.messageId);
        return;
      case 'registered':
        return;
    }
  }

  private sessionLost(life: number, channel: FrameChannel<SupernodeToClient>): void {
    if (!this.alive(life) || this.supernode !== channel) return;
    this.supernode = undefined;
    this.state = 'connecting';
    this.ctx.stats.inc('sessionsLost');
    this.supernodePending.failAll();
    for (const messageId of [...this.ims.keys()]) this.fallBackToOffline(life, messageId);
    this.retryLater(life);
  }

  private async lookup(life: number, channel: FrameChannel<SupernodeToClient>): Promise<void> {
    const userId = this.ctx.pickContact(this.identity.random, this.userId);
    if (userId === undefined) return;
    const requestId = this.nextRequestId('l');
    const started = this.ctx.clock.now();
    channel.send({ type: 'lookup', requestId, userId });
    const reply = await this.supernodePending.wait(requestId, this.behaviour.requestTimeoutMs);
    if (life !== this.life) return;
    if (reply?.type === 'lookup-result' && (reply.found || reply.complete)) {
      this.ctx.stats.inc('lookupsOk');
      this.ctx.stats.lookupLatency.record(this.ctx.clock.now() - started);
    } else {
      this.ctx.stats.inc('lookupsFailed');
    }
  }

  private sendIm(life: number, channel: FrameChannel<SupernodeToClient>): void {
    const to = this.ctx.pickContact(this.identity.random, this.userId);
    if (to === undefined) return;
    const messageId = this.ctx.newMessageId();
    const body = `hello ${to} from ${this.userId} #${this.identity.random.int(0, 1e6)}`;
    const timeout = this.ctx.scheduler.after(this.behaviour.requestTimeoutMs, () => this.fallBackToOffline(life, messageId));
    this.ims.set(messageId, { to, body, timeout });
    this.ctx.stats.inc('imsSent');
    channel.send({ type: 'send-im', messageId, to, body });
  }

  /** The recipient could not be reached directly (or we never heard back): the sender stores the IM at offline-messages. */
  private fallBackToOffline(life: number, messageId: string): void {
    const pending = this.ims.get(messageId);
    if (pending === undefined || !this.alive(life)) return;
    this.ims.delete(messageId);
    pending.timeout.cancel();
    void this.storeOffline(life, messageId, pending);
  }

  private async storeOffline(life: number, messageId: string, im: PendingIm): Promise<void> {
    const requestId = this.nextRequestId('s');
    const reply = await this.offlineRequest(life, { type: 'store', requestId, messageId, from: this.userId, to: im.to, body: im.body });
    if (!this.alive(life)) return;
    if (reply?.type === 'stored') {
      this.ctx.ledger.record('accepted', messageId);
      this.ctx.stats.inc('imsAccepted');
      this.ctx.stats.inc('imsAcceptedOffline');
    } else {
      this.ctx.stats.inc('imsFailed');
    }
  }

  private deliver(messageId: string): void {
    const first = this.disk.remember(messageId);
    this.ctx.ledger.record(first ? 'received' : 'duplicate', messageId);
    this.ctx.stats.inc(first ? 'imsReceived' : 'imsDuplicate');
  }

  private async fetchOffline(life: number): Promise<void> {
    if (this.fetching || !this.alive(life)) return;
    this.fetching = true;
    try {
      for (let round = 0; round < maxFetchRounds; round += 1) {
        const reply = await this.offlineRequest(life, { type: 'fetch', requestId: this.nextRequestId('f'), userId: this.userId, token: this.token() });
        if (!this.alive(life)) return;
        if (reply?.type !== 'messages') {
          this.ctx.stats.inc('offlineFetchFailures');
          return;
        }
        this.ctx.stats.inc('offlineFetches');
        for (const item of reply.items) this.deliver(item.messageId);
        if (reply.items.length > 0) {
          const acked = await this.offlineRequest(life, {
            type: 'ack',
            requestId: this.nextRequestId('a'),
            userId: this.userId,
            token: this.token(),
            messageIds: reply.items.map((item) => item.messageId),
          });
          if (!this.alive(life) || acked?.type !== 'acked') return;
        }
        if (!reply.more) return;
      }
    } finally {
      if (life === this.life) this.fetching = false;
    }
  }

  private async offlineChannel(life: number): Promise<FrameChannel<OfflineToClient> | undefined> {
    if (this.offline?.isOpen === true) return this.offline;
    if (this.offlineOpening === undefined) {
      this.offlineOpening = FrameChannel.open(this.behaviour.offlineMessagesAddress, offlineDecoder, this.behaviour.requestTimeoutMs).then((channel) => {
        if (!this.alive(life)) {
          channel?.terminate();
          return undefined;
        }
        this.offlineOpening = undefined;
        if (channel === undefined) return undefined;
        this.offline = channel;
        channel.onFrame = (frame) => this.onOfflineFrame(life, frame);
        channel.onClose = () => {
          if (this.offline !== channel) return;
          this.offline = undefined;
          this.offlineSentAt.clear();
          this.offlinePending.failAll();
        };
        return channel;
      });
    }
    return this.offlineOpening;
  }

  private async offlineRequest(life: number, frame: Outbound<OfflineInbound>): Promise<OfflineToClient | undefined> {
    const channel = await this.offlineChannel(life);
    if (channel === undefined || !this.alive(life)) return undefined;
    this.offlineSentAt.set(frame.requestId, this.ctx.clock.now());
    if (this.offlineSentAt.size > 256) this.pruneSentAt();
    channel.send(frame);
    return this.offlinePending.wait(frame.requestId, this.behaviour.requestTimeoutMs);
  }

  private pruneSentAt(): void {
    const oldest = this.ctx.clock.now() - this.behaviour.requestTimeoutMs * 10;
    for (const [id, at] of this.offlineSentAt) if (at < oldest) this.offlineSentAt.delete(id);
  }

  private onOfflineFrame(life: number, frame: OfflineToClient): void {
    if (!this.alive(life) || frame.requestId === undefined) return;
    const sentAt = this.offlineSentAt.get(frame.requestId);
    if (sentAt !== undefined) {
      this.offlineSentAt.delete(frame.requestId);
      const elapsedMs = this.ctx.clock.now() - sentAt;
      this.ctx.stats.offlineReply.record(elapsedMs);
      if (elapsedMs > this.behaviour.delayedReplyThresholdMs) this.ctx.stats.inc('delayedReplies');
      const timing = {
        clientVersion: this.identity.clientVersion,
        buggyVersion: this.behaviour.buggyVersion,
        vulnerable: this.identity.vulnerable,
        elapsedMs,
        thresholdMs: this.behaviour.delayedReplyThresholdMs,
      };
      if (crashesOnReply(timing)) {
        this.crash(`offline-messages reply after ${Math.round(elapsedMs)} ms (threshold ${this.behaviour.delayedReplyThresholdMs} ms)`);
        return;
      }
    }
    this.offlinePending.resolve(frame.requestId, frame);
  }
}

/** Sends the request and resolves with the first frame back, or undefined on close or timeout. */
function firstReply<In>(channel: FrameChannel<In>, timeoutMs: number, send: () => void): Promise<In | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    channel.onFrame = (frame) => {
      clearTimeout(timer);
      resolve(frame);
    };
    channel.onClose = () => {
      clearTimeout(timer);
      resolve(undefined);
    };
    send();
  });
}

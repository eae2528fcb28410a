import { FrameChannel } from '../common/frame-channel.js';
import { PendingRequests } from '../common/timeout-map.js';
import { createFrameDecoder } from '../protocol/frame-codec.js';
import { offlineToClient, type OfflineInbound, type OfflineToClient, type Outbound } from '../protocol/frames.js';
import { crashesOnReply } from './bug-trigger.js';
import type { ClientLife } from './client-life.js';
import { InboxResync, type InboxPage } from './inbox-resync.js';

const offlineDecoder = createFrameDecoder(offlineToClient);

const maxFetchRounds = 20;

/**
 * The client's conversation with offline-messages: one channel, opened on demand, carrying
 * fetches and acks of the user's inbox and stores of IMs the recipient could not take.
 * A reply slower than the threshold is where the 2010 bug kills a vulnerable client.
 */
export class OfflineInbox {
  private fetching = false;
  private channel: FrameChannel<OfflineToClient> | undefined;
  private opening: Promise<FrameChannel<OfflineToClient> | undefined> | undefined;
  private readonly pending = new PendingRequests<OfflineToClient>();
  private readonly sentAt = new Map<string, number>();
  private readonly resync: InboxResync;

  constructor(
    private readonly core: ClientLife,
    private readonly crash: (reason: string) => void,
  ) {
    this.resync = new InboxResync(core.behaviour.inboxErrors, core.ctx.stats);
  }

  /** The inbox is taken for invalid: its messages cannot be shown until a full re-sync is answered. */
  get resyncing(): boolean {
    return this.resync.needed;
  }

  /** A new life fetches afresh. */
  newLife(): void {
    this.fetching = false;
    this.resync.reset();
  }

  /** Forgets the channel (before it is ended: its close must not act) and returns it. */
  detach(): FrameChannel<OfflineToClient> | undefined {
    const channel = this.channel;
    this.channel = undefined;
    this.opening = undefined;
    return channel;
  }

  clearSentTimes(): void {
    this.sentAt.clear();
  }

  failAll(): void {
    this.pending.failAll();
  }

  /** Fetches (and acks) what offline-messages holds for the user, a page at a time. */
  async fetch(life: number): Promise<void> {
    const core = this.core;
    if (this.fetching || !core.alive(life)) return;
    this.fetching = true;
    try {
      for (let round = 0; round < maxFetchRounds; round += 1) {
        const page = await this.readPage(life);
        if (!core.alive(life) || page === undefined) return;
        for (const item of page.items) core.deliver(item.messageId);
        if (page.items.length > 0) {
          const acked = await this.request(life, {
            type: 'ack',
            requestId: core.nextRequestId('a'),
            userId: core.userId,
            token: core.token(),
            messageIds: page.items.map((item) => item.messageId),
          });
          if (!core.alive(life) || acked?.type !== 'acked') return;
        }
        if (!page.more) return;
      }
    } finally {
      if (life === core.current) this.fetching = false;
    }
  }

  /** One query, or a full re-sync while the inbox is invalid or once a query is answered with an error. */
  private async readPage(life: number): Promise<InboxPage | undefined> {
    const query = () => this.query(life);
    if (this.resync.needed) return this.resync.readInFull(query);
    const reply = await query();
    if (reply?.type === 'messages') return reply;
    return reply?.type === 'error' && this.resync.errorAnswered() ? this.resync.readInFull(query) : undefined;
  }

  private async query(life: number): Promise<OfflineToClient | undefined> {
    const core = this.core;
    const reply = await this.request(life, { type: 'fetch', requestId: core.nextRequestId('f'), userId: core.userId, token: core.token() });
    if (!core.alive(life)) return undefined;
    core.ctx.stats.inc(reply?.type === 'messages' ? 'offlineFetches' : 'offlineFetchFailures');
    return reply;
  }

  /** Sends one request; resolves with its reply, or undefined without a channel, on close or on timeout. */
  async request(life: number, frame: Outbound<OfflineInbound>): Promise<OfflineToClient | undefined> {
    const channel = await this.open(life);
    if (channel === undefined || !this.core.alive(life)) return undefined;
    this.sentAt.set(frame.requestId, this.core.ctx.clock.now());
    if (this.sentAt.size > 256) this.pruneSentAt();
    channel.send(frame);
    return this.pending.wait(frame.requestId, this.core.behaviour.requestTimeoutMs);
  }

  private async open(life: number): Promise<FrameChannel<OfflineToClient> | undefined> {
    if (this.channel?.isOpen === true) return this.channel;
    if (this.opening === undefined) {
      const behaviour = this.core.behaviour;
      this.opening = FrameChannel.open(behaviour.offlineMessagesAddress, offlineDecoder, behaviour.requestTimeoutMs).then((channel) => this.opened(life, channel));
    }
    return this.opening;
  }

  private opened(life: number, channel: FrameChannel<OfflineToClient> | undefined): FrameChannel<OfflineToClient> | undefined {
    if (!this.core.alive(life)) {
      channel?.terminate();
      return undefined;
    }
    this.opening = undefined;
    if (channel === undefined) return undefined;
    this.channel = channel;
    channel.onFrame = (frame) => this.onFrame(life, frame);
    channel.onClose = () => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      this.sentAt.clear();
      this.pending.failAll();
    };
    return channel;
  }

  private pruneSentAt(): void {
    const oldest = this.core.ctx.clock.now() - this.core.behaviour.requestTimeoutMs * 10;
    for (const [id, at] of this.sentAt) if (at < oldest) this.sentAt.delete(id);
  }

  private onFrame(life: number, frame: OfflineToClient): void {
    if (!this.core.alive(life) || frame.requestId === undefined) return;
    const sentAt = this.sentAt.get(frame.requestId);
    if (sentAt !== undefined) {
      this.sentAt.delete(frame.requestId);
      if (this.crashedOnReply(this.core.ctx.clock.now() - sentAt)) return;
    }
    this.pending.resolve(frame.requestId, frame);
  }

  /** Meters a reply's delay; true when it killed the client (the 2010 bug). */
  private crashedOnReply(elapsedMs: number): boolean {
    const { ctx, identity, behaviour } = this.core;
    ctx.stats.offlineReply.record(elapsedMs);
    if (elapsedMs > behaviour.delayedReplyThresholdMs) ctx.stats.inc('delayedReplies');
    const timing = {
      clientVersion: identity.clientVersion,
      buggyVersion: behaviour.buggyVersion,
      vulnerable: identity.vulnerable,
      elapsedMs,
      thresholdMs: behaviour.delayedReplyThresholdMs,
    };
    if (!crashesOnReply(timing)) return false;
    this.crash(`offline-messages reply after ${Math.round(elapsedMs)} ms (threshold ${behaviour.delayedReplyThresholdMs} ms)`);
    return true;
  }
}

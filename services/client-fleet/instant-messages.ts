import type { FrameChannel } from '../common/frame-channel.js';
import type { SupernodeToClient } from '../protocol/frames.js';
import type { ClientLife } from './client-life.js';
import type { OfflineInbox } from './offline-inbox.js';

interface PendingIm {
  readonly to: string;
  readonly body: string;
  readonly timeout: { cancel(): void };
}

/**
 * The IMs a client sends: through its supernode first (`send-im`, answered `im-accepted` or
 * `im-undeliverable`); when the recipient cannot be reached, or the supernode never answers,
 * the sender stores the IM at offline-messages instead.
 */
export class InstantMessages {
  private readonly pending = new Map<string, PendingIm>();

  constructor(
    private readonly core: ClientLife,
    private readonly inbox: OfflineInbox,
  ) {}

  /** Sends one IM to a random contact through the supernode session. */
  send(life: number, channel: FrameChannel<SupernodeToClient>): void {
    const { ctx, identity, userId } = this.core;
    const to = ctx.pickContact(identity.random, userId);
    if (to === undefined) return;
    const messageId = ctx.newMessageId();
    const body = `hello ${to} from ${userId} #${identity.random.int(0, 1e6)}`;
    const timeout = ctx.scheduler.after(this.core.behaviour.requestTimeoutMs, () => this.fallBackToOffline(life, messageId));
    this.pending.set(messageId, { to, body, timeout });
    ctx.stats.inc('imsSent');
    channel.send({ type: 'send-im', messageId, to, body });
  }

  /** The supernode delivered it (`im-accepted`). */
  accepted(messageId: string): void {
    const pending = this.pending.get(messageId);
    if (pending === undefined) return;
    this.pending.delete(messageId);
    pending.timeout.cancel();
    const { ctx } = this.core;
    ctx.ledger.record('accepted', messageId);
    ctx.stats.inc('imsAccepted');
    ctx.stats.inc('imsAcceptedDirect');
  }

  /** The session is gone: every IM still waiting for its supernode goes to offline-messages. */
  fallBackAll(life: number): void {
    for (const messageId of [...this.pending.keys()]) this.fallBackToOffline(life, messageId);
  }

  /** The life ended: pending IMs are forgotten. */
  drop(): void {
    for (const pending of this.pending.values()) pending.timeout.cancel();
    this.pending.clear();
  }

  /** The recipient could not be reached directly (or we never heard back): the sender stores the IM at offline-messages. */
  fallBackToOffline(life: number, messageId: string): void {
    const pending = this.pending.get(messageId);
    if (pending === undefined || !this.core.alive(life)) return;
    this.pending.delete(messageId);
    pending.timeout.cancel();
    void this.storeOffline(life, messageId, pending);
  }

  private async storeOffline(life: number, messageId: string, im: PendingIm): Promise<void> {
    const core = this.core;
    const requestId = core.nextRequestId('s');
    const reply = await this.inbox.request(life, { type: 'store', requestId, messageId, from: core.userId, to: im.to, body: im.body });
    if (!core.alive(life)) return;
    if (reply?.type === 'stored') {
      core.ctx.ledger.record('accepted', messageId);
      core.ctx.stats.inc('imsAccepted');
      core.ctx.stats.inc('imsAcceptedOffline');
    } else {
      core.ctx.stats.inc('imsFailed');
    }
  }
}

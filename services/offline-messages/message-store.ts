import { MAX_FETCH_ITEMS } from '../protocol/frame-fields.js';
import { dropsNothing, type DropTest } from './message-drop.js';

export interface StoredMessage {
  readonly messageId: string;
  readonly from: string;
  readonly to: string;
  readonly body: string;
}

export type StoreOutcome = 'stored' | 'duplicate' | 'full';

const rememberedAckedIds = 200_000;

/**
 * Offline IMs per recipient. Idempotent by message id: a second store of a held or already
 * acknowledged id is a duplicate; a fetch returns what is held until it is acknowledged
 * (at-least-once); an ack deletes only the recipient's own messages. A store with a drop test (a
 * deliberate defect) answers `stored` for the messages it drops and never holds them.
 */
export class MessageStore {
  private readonly byRecipient = new Map<string, Map<string, StoredMessage>>();
  private readonly held = new Map<string, string>();
  private readonly acked = new Set<string>();
  stored = 0;
  delivered = 0;
  duplicatesSuppressed = 0;
  /** Answered `stored` and never held (the drop defect); not reported anywhere else. */
  dropped = 0;

  constructor(
    private readonly capacity: number,
    private readonly drops: DropTest = dropsNothing,
  ) {}

  get pending(): number {
    return this.held.size;
  }

  /** The ids stored and not yet acknowledged, in the order they were stored. */
  pendingIds(): string[] {
    return [...this.held.keys()];
  }

  store(message: StoredMessage): StoreOutcome {
    if (this.held.has(message.messageId) || this.acked.has(message.messageId)) {
      this.duplicatesSuppressed += 1;
      return 'duplicate';
    }
    if (this.held.size >= this.capacity) return 'full';
    if (this.drops(message.messageId)) {
      this.dropped += 1;
      return 'stored';
    }
    let inbox = this.byRecipient.get(message.to);
    if (inbox === undefined) {
      inbox = new Map();
      this.byRecipient.set(message.to, inbox);
    }
    inbox.set(message.messageId, message);
    this.held.set(message.messageId, message.to);
    this.stored += 1;
    return 'stored';
  }

  /** Up to `limit` held messages for a user, oldest first, and whether more remain. */
  fetch(userId: string, limit = MAX_FETCH_ITEMS): { items: StoredMessage[]; more: boolean } {
    const inbox = this.byRecipient.get(userId);
    if (inbox === undefined) return { items: [], more: false };
    const items: StoredMessage[] = [];
    for (const message of inbox.values()) {
      if (items.length === limit) return { items, more: true };
      items.push(message);
    }
    return { items, more: false };
  }

  /** Deletes acknowledged messages of this user; returns how many were deleted now. */
  ack(userId: string, messageIds: readonly string[]): number {
    const inbox = this.byRecipient.get(userId);
    if (inbox === undefined) return 0;
    let deleted = 0;
    for (const messageId of messageIds) {
      if (!inbox.delete(messageId)) continue;
      this.held.delete(messageId);
      this.rememberAcked(messageId);
      deleted += 1;
    }
    if (inbox.size === 0) this.byRecipient.delete(userId);
    this.delivered += deleted;
    return deleted;
  }

  private rememberAcked(messageId: string): void {
    this.acked.add(messageId);
    if (this.acked.size > rememberedAckedIds) {
      const oldest = this.acked.values().next();
      if (oldest.done !== true) this.acked.delete(oldest.value);
    }
  }
}

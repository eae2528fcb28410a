import type { OfflineToClient } from '../protocol/frames.js';
import type { ClientStats } from './client-context.js';
import type { InboxErrorPolicy } from './client-settings.js';

export type InboxPage = Extract<OfflineToClient, { type: 'messages' }>;

const isPage = (reply: OfflineToClient | undefined): reply is InboxPage => reply?.type === 'messages';

/**
 * Whether the client trusts its inbox. Under `full-resync` an error answer makes it invalid, and
 * every read of an invalid inbox is a full re-sync: all its queries at once, valid again only when
 * each one is answered. Under `wait` the inbox is never invalid.
 */
export class InboxResync {
  private invalid = false;

  constructor(
    private readonly policy: InboxErrorPolicy,
    private readonly stats: Pick<ClientStats, 'inc'>,
  ) {}

  /** Memory is gone: a new life trusts its inbox. */
  reset(): void {
    this.invalid = false;
  }

  get needed(): boolean {
    return this.invalid;
  }

  /** An inbox query was answered with an error; true when the inbox is now invalid. */
  errorAnswered(): boolean {
    if (this.policy.policy === 'wait') return false;
    this.invalid = true;
    return true;
  }

  /** Re-reads the inbox in full; its first page when every query was answered, else undefined (still invalid). */
  async readInFull(query: () => Promise<OfflineToClient | undefined>): Promise<InboxPage | undefined> {
    if (this.policy.policy === 'wait') return undefined;
    this.stats.inc('inboxResyncs');
    const replies = await Promise.all(Array.from({ length: this.policy.resyncQueries }, query));
    const pages = replies.filter(isPage);
    if (pages.length < replies.length) return undefined;
    this.invalid = false;
    // Every query read the same inbox: its first answer stands for all, so no message is seen twice.
    return pages[0];
  }
}

import type { HostEntry } from '../protocol/frame-fields.js';

/** What a user's machine keeps across client crashes: the host cache and the ids of messages already shown. */
export class UserDisk {
  hostCache: readonly HostEntry[] = [];
  private readonly received = new Set<string>();

  /** Records a delivered message; false when it was already delivered (a duplicate). */
  remember(messageId: string): boolean {
    if (this.received.has(messageId)) return false;
    this.received.add(messageId);
    return true;
  }

  get receivedCount(): number {
    return this.received.size;
  }
}

import { authToken } from '../protocol/auth-token.js';
import type { ClientBehaviour } from './client-settings.js';
import type { ClientContext, ClientIdentity } from './client-context.js';
import { UserDisk } from './user-disk.js';

export type ClientState = 'stopped' | 'logging-in' | 'connecting' | 'online' | 'crashed';

/**
 * Who a virtual client is and which life it is in: every conversation (login, supernode session,
 * IMs, offline inbox) checks its `life` against this one, so nothing from a previous life acts on the next.
 */
export class ClientLife {
  state: ClientState = 'stopped';
  /** The number of the current life; bumped when the client starts, crashes or stops. */
  current = 0;
  /** Lost its supernode in this life and has not found another yet (a start-up login is not this). */
  displaced = false;
  /** Kept across crashes: the user's machine. */
  readonly disk = new UserDisk();
  private requestSeq = 0;

  constructor(
    readonly identity: ClientIdentity,
    readonly ctx: ClientContext,
  ) {}

  get userId(): string {
    return this.identity.userId;
  }

  get behaviour(): ClientBehaviour {
    return this.ctx.behaviour;
  }

  /** Running, and without the supernode it had earlier in this life. */
  get rehoming(): boolean {
    return this.displaced && this.alive(this.current);
  }

  /** Whether `life` is the current life and the client is running in it. */
  alive(life: number): boolean {
    return life === this.current && this.state !== 'crashed' && this.state !== 'stopped';
  }

  token(): string {
    return authToken(this.behaviour.secret, this.userId);
  }

  nextRequestId(prefix: string): string {
    this.requestSeq += 1;
    return `${prefix}${this.requestSeq}`;
  }

  /** The user sees a message, first time or again (the ids survive crashes on the disk). */
  deliver(messageId: string): void {
    const first = this.disk.remember(messageId);
    this.ctx.ledger.record(first ? 'received' : 'duplicate', messageId);
    this.ctx.stats.inc(first ? 'imsReceived' : 'imsDuplicate');
  }
}

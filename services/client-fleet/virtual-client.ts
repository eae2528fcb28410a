import type { ClientContext, ClientIdentity } from './client-context.js';
import { ClientLife, type ClientState } from './client-life.js';
import { ClientLogin } from './client-login.js';
import { InstantMessages } from './instant-messages.js';
import { OfflineInbox } from './offline-inbox.js';
import { RetrySchedule } from './retry-schedule.js';
import { SupernodeSession } from './supernode-session.js';
import type { UserDisk } from './user-disk.js';

export type { ClientState } from './client-life.js';

interface Ending {
  terminate(): void;
  close(reason: string): void;
}

/**
 * One user's client: login → host cache → register with a supernode → heartbeats, lookups,
 * IMs and offline-message fetches, each conversation in its own module. A crash is its real
 * death: sockets terminated, state dropped. Every continuation checks its `life`, so nothing
 * from a previous life acts on the next one.
 */
export class VirtualClient {
  private readonly core: ClientLife;
  private readonly retry: RetrySchedule;
  private readonly inbox: OfflineInbox;
  private readonly ims: InstantMessages;
  private readonly session: SupernodeSession;
  private readonly loginConversation: ClientLogin;

  constructor(
    readonly identity: ClientIdentity,
    ctx: ClientContext,
  ) {
    this.core = new ClientLife(identity, ctx);
    this.retry = new RetrySchedule(this.core);
    this.inbox = new OfflineInbox(this.core, (reason) => this.crash(reason));
    this.ims = new InstantMessages(this.core, this.inbox);
    this.session = new SupernodeSession(this.core, this.retry, this.ims, this.inbox, (life) => void this.loginConversation.login(life, false));
    this.loginConversation = new ClientLogin(this.core, this.retry, this.session, this.inbox);
  }

  get state(): ClientState {
    return this.core.state;
  }

  /**
   * Online and able to show its messages: a client that takes its inbox for invalid is in service for
   * nobody until its re-sync is answered in full.
   */
  get usable(): boolean {
    return this.core.state === 'online' && !this.inbox.resyncing;
  }

  /** Online, but re-reading an inbox it takes for invalid. */
  get resyncing(): boolean {
    return this.core.state === 'online' && this.inbox.resyncing;
  }

  /** Running, and without the supernode it had earlier in this life. */
  get rehoming(): boolean {
    return this.core.rehoming;
  }

  /** Kept across crashes: the user's machine. */
  get disk(): UserDisk {
    return this.core.disk;
  }

  get userId(): string {
    return this.identity.userId;
  }

  /** Starts a new life: log in, fetch offline messages, find a supernode. */
  start(): void {
    const core = this.core;
    core.current += 1;
    core.state = 'logging-in';
    core.displaced = false;
    this.retry.reset();
    this.session.newLife();
    this.inbox.newLife();
    void this.loginConversation.login(core.current, true);
  }

  /** The 2010 bug, or any other client death: everything in memory is gone. */
  crash(reason: string): void {
    if (this.core.state === 'crashed' || this.core.state === 'stopped') return;
    this.endLife('crashed', (channel) => channel.terminate());
    this.core.ctx.stats.inc('crashes');
    this.core.ctx.onCrash(this.userId, reason);
  }

  /** Graceful quit (process shutdown). */
  stop(): void {
    this.endLife('stopped', (channel) => channel.close('client quitting'));
  }

  private endLife(state: 'crashed' | 'stopped', end: (channel: Ending) => void): void {
    this.core.current += 1;
    this.core.state = state;
    this.core.displaced = false;
    // Forget both channels before ending them, so that their close handlers see a dead life.
    const supernode = this.session.detach();
    const offline = this.inbox.detach();
    if (supernode !== undefined) end(supernode);
    if (offline !== undefined) end(offline);
    this.ims.drop();
    this.inbox.clearSentTimes();
    this.session.clearHeartbeats();
    this.inbox.failAll();
    this.session.failAll();
  }
}

import { FrameChannel } from '../common/frame-channel.js';
import { createFrameDecoder } from '../protocol/frame-codec.js';
import type { HostEntry } from '../protocol/frame-fields.js';
import { loginToClient } from '../protocol/frames.js';
import type { ClientLife } from './client-life.js';
import { firstReply } from './first-reply.js';
import type { OfflineInbox } from './offline-inbox.js';
import type { RetrySchedule } from './retry-schedule.js';
import type { SupernodeSession } from './supernode-session.js';

const loginDecoder = createFrameDecoder(loginToClient);

/**
 * The client's conversation with login: one short connection that proves who the user is and
 * returns a host cache (kept on disk, the fallback when login fails). Then the client fetches
 * its offline messages (at the start of a life) and tries the supernodes in the cache.
 */
export class ClientLogin {
  constructor(
    private readonly core: ClientLife,
    private readonly retry: RetrySchedule,
    private readonly session: SupernodeSession,
    private readonly inbox: OfflineInbox,
  ) {}

  async login(life: number, fetchAfter: boolean): Promise<void> {
    const core = this.core;
    core.state = 'logging-in';
    const timeoutMs = core.behaviour.requestTimeoutMs;
    const channel = await FrameChannel.open(core.behaviour.loginAddress, loginDecoder, timeoutMs);
    if (!core.alive(life)) {
      channel?.terminate();
      return;
    }
    let entries: readonly HostEntry[] | undefined;
    if (channel !== undefined) {
      const reply = await firstReply(channel, timeoutMs, () =>
        channel.send({ type: 'login', userId: core.userId, token: core.token(), clientVersion: core.identity.clientVersion }),
      );
      channel.close('logged in');
      if (reply?.type === 'login-ok') {
        core.ctx.stats.inc('logins');
        entries = reply.hostCache;
      }
    }
    if (!core.alive(life)) return;
    this.session.useHostCache(core.identity.random.shuffle(this.hostCache(entries)));
    if (fetchAfter) void this.inbox.fetch(life);
    if (!this.session.knowsSupernodes) {
      // No supernode known (fresh install, none usable, login down): log in again on the retry schedule.
      this.retry.afterDelay(() => {
        if (core.alive(life)) void this.login(life, false);
      });
      return;
    }
    this.session.connectNext(life);
  }

  /** The supernodes login answered with (kept on disk), or those on disk when it answered none. */
  private hostCache(answered: readonly HostEntry[] | undefined): readonly HostEntry[] {
    const { ctx, disk } = this.core;
    if (answered === undefined) ctx.stats.inc('loginFailures');
    if (answered !== undefined && answered.length > 0) {
      disk.hostCache = answered;
      return answered;
    }
    if (disk.hostCache.length > 0) {
      ctx.stats.inc('hostCacheFallbacks');
      return disk.hostCache;
    }
    return answered ?? [];
  }
}

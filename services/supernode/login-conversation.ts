import { ErrorCode } from '../protocol/error-codes.js';
import { registrationRequestId, type LoginToSupernode } from '../protocol/frames.js';
import { createRandom, deriveSeed } from '../common/seeded-random.js';
import { LoginLink } from './login-link.js';
import { RegistrationDeadline } from './registration-deadline.js';
import type { SupernodeCore } from './supernode-core.js';

/**
 * The supernode's conversation with login: `sn-register` and `sn-heartbeat` while it serves
 * (or joins), `peer-hello` while a standby peer, and `promote` from login turning a standby
 * peer into a supernode.
 */
export class LoginConversation {
  private registered = false;
  private readonly link: LoginLink;
  /** With `registrationTimeoutMs`: the deadline on each registration; without, registrations wait as long as login takes. */
  private readonly deadline: RegistrationDeadline | undefined;

  constructor(
    private readonly core: SupernodeCore,
    private readonly startedAt: number,
  ) {
    this.link = new LoginLink(core.config.loginAddress, core.config.overlayTimeoutMs * 2, {
      onOpen: () => {
        this.registered = false;
        if (core.state === 'standby') this.hello();
        else if (core.state !== 'shutting-down') this.register();
      },
      onFrame: (frame) => this.onFrame(frame),
    });
    const timeoutMs = core.config.registrationTimeoutMs;
    this.deadline =
      timeoutMs === undefined
        ? undefined
        : new RegistrationDeadline({ timeoutMs, retryMs: core.config.registrationRetryMs }, createRandom(deriveSeed(0, `registration:${core.name}`)), {
            failed: (kind, reason) => core.takeOutOfService(kind, reason),
            retry: () => {
              if (this.link.connected && core.state !== 'standby' && core.state !== 'shutting-down') this.register();
            },
          });
  }

  start(): void {
    this.link.start();
  }

  close(): void {
    this.deadline?.stop();
    this.link.close();
  }

  /** Every `loginHeartbeatMs`: hello while standby, register until registered, then heartbeats. */
  startHeartbeats(): NodeJS.Timeout {
    return setInterval(() => {
      const state = this.core.state;
      if (!this.link.connected || state === 'shutting-down') return;
      if (state === 'standby') this.hello();
      else if (!this.registered) {
        if (this.deadline?.awaitingAnswer !== true) this.register();
      } else this.heartbeat();
    }, this.core.config.loginHeartbeatMs);
  }

  heartbeat(): void {
    const core = this.core;
    this.link.send({ type: 'sn-heartbeat', load: core.load(), sessions: core.sessions.size, state: core.state });
  }

  private register(): void {
    const { config, state } = this.core;
    if (this.deadline !== undefined && !this.deadline.mayRegister) return;
    const attempt = this.deadline?.begin();
    this.link.send({
      type: 'sn-register',
      name: this.core.name,
      token: this.core.ownToken,
      clientAddress: config.clientAddress,
      overlayAddress: config.overlayAddress,
      mode: config.mode,
      capacity: { sessions: config.capacity.sessions, requestsPerSecond: config.capacity.requestsPerSecond },
      state,
      ...(attempt === undefined ? {} : { attempt }),
    });
  }

  private hello(): void {
    const config = this.core.config;
    this.link.send({
      type: 'peer-hello',
      name: this.core.name,
      token: this.core.ownToken,
      publicAddress: config.publicAddress,
      bandwidthKbps: config.bandwidthKbps,
      uptimeSeconds: Math.floor((Date.now() - this.startedAt) / 1000),
    });
  }

  private onFrame(frame: LoginToSupernode): void {
    const core = this.core;
    switch (frame.type) {
      case 'sn-registered':
        if (this.deadline !== undefined && !this.deadline.answered(frame.attempt)) return;
        this.registered = true;
        core.overlay.setPeers(frame.peers);
        if (this.deadline !== undefined && core.returnToService()) this.heartbeat();
        return;
      case 'sn-peers':
        core.overlay.setPeers(frame.peers);
        return;
      case 'promote':
        if (core.state !== 'standby') return;
        console.log(`[${core.name}] promoted to supernode by login`);
        core.becomeJoining();
        this.register();
        return;
      case 'error':
        if (this.deadline?.refused(frame.requestId, registrationRequestId, frame.message) === true) return;
        if (frame.code === ErrorCode.notRegistered) this.registered = false;
        console.error(`[${core.name}] login says ${frame.code}: ${frame.message}`);
        return;
    }
  }
}

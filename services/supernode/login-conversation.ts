import { ErrorCode } from '../protocol/error-codes.js';
import { registrationRequestId, type LoginToSupernode } from '../protocol/frames.js';
import { createRandom, deriveSeed } from '../common/seeded-random.js';
import { LoginLink } from './login-link.js';
import { HeartbeatDeadline } from './heartbeat-deadline.js';
import { LoginLease } from './login-lease.js';
import { RegistrationDeadline, type MembershipRequest } from './registration-deadline.js';
import type { OutOfServiceCause, SupernodeCore } from './supernode-core.js';

function failureCause(kind: 'timeout' | 'refused', of: MembershipRequest): OutOfServiceCause {
  if (of === 'heartbeat') return 'heartbeat-timeout';
  return kind === 'timeout' ? 'registration-timeout' : 'registration-refused';
}

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
  /** With `heartbeatDeadline`: the same deadline on each heartbeat. */
  private readonly heartbeats: HeartbeatDeadline | undefined;
  /** With `loginLeaseMs`: out of service when login has answered nothing for that long. */
  private readonly lease: LoginLease | undefined;

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
        : new RegistrationDeadline(
            { timeoutMs, retryMs: core.config.registrationRetryMs, atStart: core.config.registrationDeadlineAtStart },
            createRandom(deriveSeed(0, `registration:${core.name}`)),
            {
              failed: (kind, reason, of) => core.takeOutOfService(failureCause(kind, of), reason),
              retry: () => {
                if (this.link.connected && core.state !== 'standby' && core.state !== 'shutting-down') this.register();
              },
            },
          );
    const deadline = this.deadline;
    this.heartbeats =
      deadline === undefined || timeoutMs === undefined || !core.config.heartbeatDeadline
        ? undefined
        : new HeartbeatDeadline(timeoutMs, (reason) => {
            this.registered = false;
            deadline.heartbeatMissed(reason);
          });
    const leaseMs = core.config.loginLeaseMs;
    this.lease = leaseMs === undefined ? undefined : new LoginLease(leaseMs, (reason) => this.leaseExpired(reason));
  }

  /** Dials login; a supernode's lease runs from now, a standby peer's from its promotion. */
  start(): void {
    if (this.core.state !== 'standby') this.lease?.renew();
    this.link.start();
  }

  close(): void {
    this.lease?.stop();
    this.deadline?.stop();
    this.heartbeats?.abandon();
    this.link.close();
  }

  /**
   * Every `loginHeartbeatMs`: hello while standby, register until registered, then heartbeats. With
   * `heartbeatDeadline` the checks keep the supernode's turn on the wall clock (`heartbeatSlot`), or
   * start at a seeded share of an interval, so supernodes do not check their membership together.
   * Returns the function that stops it.
   */
  startHeartbeats(): () => void {
    const intervalMs = this.core.config.loginHeartbeatMs;
    const tick = (): void => {
      const state = this.core.state;
      if (!this.link.connected || state === 'shutting-down') return;
      if (state === 'standby') this.hello();
      else if (!this.registered) {
        if (this.deadline?.awaitingAnswer !== true) this.register();
      } else this.beat();
    };
    let interval: NodeJS.Timeout | undefined;
    if (this.core.config.heartbeatDeadline !== true) {
      interval = setInterval(tick, intervalMs);
      return () => clearInterval(interval);
    }
    const slot = this.core.config.heartbeatSlot;
    if (slot !== undefined) {
      let stopped = false;
      let timer: NodeJS.Timeout | undefined;
      const schedule = (delayMs: number): void => {
        timer = setTimeout(() => {
          if (stopped) return;
          tick();
          schedule(heartbeatTurnDelayMs(Date.now(), intervalMs, slot, true));
        }, delayMs);
      };
      schedule(heartbeatTurnDelayMs(Date.now(), intervalMs, slot, false));
      return () => {
        stopped = true;
        clearTimeout(timer);
      };
    }
    const offsetMs = heartbeatPhaseMs(this.core.name, intervalMs);
    const start = setTimeout(() => {
      tick();
      interval = setInterval(tick, intervalMs);
    }, offsetMs);
    return () => {
      clearTimeout(start);
      clearInterval(interval);
    };
  }

  /** A heartbeat that waits for no answer (the farewell of a supernode shutting down). */
  heartbeat(): void {
    this.sendHeartbeat(undefined);
  }

  /** A registered supernode's heartbeat; with `heartbeatDeadline`, none while another waits for its answer. */
  private beat(): void {
    if (this.heartbeats === undefined) this.sendHeartbeat(undefined);
    else if (!this.heartbeats.awaitingAnswer) this.sendHeartbeat(this.heartbeats.begin());
  }

  private sendHeartbeat(seq: number | undefined): void {
    const core = this.core;
    this.link.send({ type: 'sn-heartbeat', load: core.load(), sessions: core.sessions.size, state: core.state, ...(seq === undefined ? {} : { seq }) });
  }

  private register(): void {
    const { config, state } = this.core;
    if (this.deadline !== undefined && !this.deadline.mayRegister) return;
    this.heartbeats?.abandon();
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

  /** Out of service, and registering again (at the next heartbeat, or as soon as the login link opens). */
  private leaseExpired(reason: string): void {
    const state = this.core.state;
    if (state !== 'joining' && state !== 'serving') return;
    this.registered = false;
    this.heartbeats?.abandon();
    this.core.takeOutOfService('lease-expired', reason);
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
        this.lease?.renew();
        core.overlay.setPeers(frame.peers);
        if ((this.deadline !== undefined || this.lease !== undefined) && core.returnToService()) this.beat();
        return;
      case 'sn-peers':
        if (this.heartbeats !== undefined && frame.seq !== undefined && !this.heartbeats.answered(frame.seq)) return;
        this.lease?.renew();
        core.overlay.setPeers(frame.peers);
        return;
      case 'promote':
        if (core.state !== 'standby') return;
        console.log(`[${core.name}] promoted to supernode by login`);
        this.lease?.renew();
        core.becomeJoining();
        this.register();
        return;
      case 'error':
        if (this.deadline?.refused(frame.requestId, registrationRequestId, frame.message) === true) return;
        if (frame.code === ErrorCode.notRegistered) {
          this.registered = false;
          this.heartbeats?.abandon();
        }
        console.error(`[${core.name}] login says ${frame.code}: ${frame.message}`);
        return;
    }
  }
}

/**
 * Milliseconds from `nowMs` (wall clock) to the supernode's next turn: the instant at `index / of` of a
 * `intervalMs` interval counted from the epoch. Just after a turn (`afterTurn`), the one after it: a timer
 * that fires a little early must not take the same turn twice, nor one late skip a turn.
 */
export function heartbeatTurnDelayMs(nowMs: number, intervalMs: number, slot: { readonly index: number; readonly of: number }, afterTurn: boolean): number {
  const phaseMs = (slot.index / slot.of) * intervalMs;
  const from = afterTurn ? nowMs + intervalMs / 2 : nowMs;
  const untilTurn = (((phaseMs - from) % intervalMs) + intervalMs) % intervalMs;
  return untilTurn + (from - nowMs);
}

/** Where in the heartbeat interval a supernode's membership checks fall: a share of it drawn from its name. */
export function heartbeatPhaseMs(name: string, intervalMs: number): number {
  return Math.floor(createRandom(deriveSeed(0, `heartbeat-phase:${name}`)).next() * intervalMs);
}

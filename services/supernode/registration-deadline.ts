import type { Random } from '../common/seeded-random.js';

export interface RegistrationTiming {
  /** How long login may take to answer one `sn-register`. */
  readonly timeoutMs: number;
  /** The delay before registering again after a failure, drawn from half to one and a half of it. */
  readonly retryMs: number;
  /** Whether the process's first registration has the deadline too; false: it waits as long as login takes. */
  readonly atStart: boolean;
}

/** The request whose failure takes the supernode out of service. */
export type MembershipRequest = 'registration' | 'heartbeat';

export interface RegistrationOutcomes {
  /** The pending registration (or a heartbeat) was not answered in time, or was refused. */
  failed(kind: 'timeout' | 'refused', reason: string, of: MembershipRequest): void;
  /** The retry delay is over: register again. */
  retry(): void;
}

/**
 * The deadline on a supernode's registrations with login: each `sn-register` carries an attempt
 * number that login echoes, so only the answer to the pending attempt, in time, counts; answers to
 * abandoned attempts are ignored. After a failure (of a registration, or of a heartbeat) no
 * registration goes until the jittered retry.
 */
export class RegistrationDeadline {
  private attempt = 0;
  private pending: { readonly attempt: number; readonly timer: NodeJS.Timeout | undefined } | undefined;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly timing: RegistrationTiming,
    private readonly random: Random,
    private readonly outcomes: RegistrationOutcomes,
  ) {}

  /** Whether a registration may go now: none is waiting for its retry delay. */
  get mayRegister(): boolean {
    return this.retryTimer === undefined;
  }

  /** Whether a registration is waiting for its answer. */
  get awaitingAnswer(): boolean {
    return this.pending !== undefined;
  }

  /** A registration goes now (any earlier one is abandoned without penalty): its attempt number. */
  begin(): number {
    this.clearPending();
    this.attempt += 1;
    const attempt = this.attempt;
    const timed = attempt > 1 || this.timing.atStart;
    const timer = timed
      ? setTimeout(() => this.fail('timeout', `login did not answer registration ${attempt} within ${this.timing.timeoutMs} ms`, 'registration'), this.timing.timeoutMs)
      : undefined;
    this.pending = { attempt, timer };
    return attempt;
  }

  /** An `sn-registered` arrived: true when it answers the pending attempt in time. */
  answered(attempt: number | undefined): boolean {
    if (this.pending === undefined || attempt !== this.pending.attempt) return false;
    this.clearPending();
    return true;
  }

  /** An error frame answering the registration with this request id, if it is the pending one. */
  refused(requestId: string | undefined, attemptRequestId: (attempt: number) => string, message: string): boolean {
    if (this.pending === undefined || requestId !== attemptRequestId(this.pending.attempt)) return false;
    this.fail('refused', `login refused registration ${this.pending.attempt}: ${message}`, 'registration');
    return true;
  }

  /** A heartbeat went unanswered in time: out of service, and registering again after the retry delay. */
  heartbeatMissed(reason: string): void {
    this.fail('timeout', reason, 'heartbeat');
  }

  stop(): void {
    this.clearPending();
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private fail(kind: 'timeout' | 'refused', reason: string, of: MembershipRequest): void {
    this.clearPending();
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    const delayMs = this.timing.retryMs * (0.5 + this.random.next());
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.outcomes.retry();
    }, delayMs);
    this.outcomes.failed(kind, reason, of);
  }

  private clearPending(): void {
    if (this.pending?.timer !== undefined) clearTimeout(this.pending.timer);
    this.pending = undefined;
  }
}

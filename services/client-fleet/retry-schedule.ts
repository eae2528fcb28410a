import type { ClientLife } from './client-life.js';
import { meanReconnectDelay, reconnectDelay } from './reconnect-policy.js';

/**
 * When a client tries again after failing to log in or to get a supernode. The failure count
 * is shared by both, and reset when a life starts and when a session is up.
 */
export class RetrySchedule {
  private failures = 0;
  /** When the current connection attempt started: a naive client keeps its cadence from there. */
  private attemptStartedAt = 0;

  constructor(private readonly core: ClientLife) {}

  reset(): void {
    this.failures = 0;
  }

  attemptStarted(): void {
    this.attemptStartedAt = this.core.ctx.clock.now();
  }

  /** One more failure; `action` runs after the policy's delay. */
  afterDelay(action: () => void): void {
    this.failures += 1;
    this.core.ctx.scheduler.after(this.delay(), action, this.period());
  }

  /** One more failed attempt; naive: one attempt every interval, counted from the attempt's start however long it took. */
  afterAttempt(action: () => void): void {
    this.failures += 1;
    const delay = this.delay();
    const wait = this.naive ? Math.max(0, this.attemptStartedAt + delay - this.core.ctx.clock.now()) : delay;
    this.core.ctx.scheduler.after(wait, action, this.period());
  }

  private get naive(): boolean {
    return this.core.behaviour.reconnect.policy === 'naive';
  }

  private delay(): number {
    return reconnectDelay(this.core.behaviour.reconnect, this.failures, this.core.identity.random);
  }

  /**
   * The mean delay of the policy at this failure count, which a retry's lateness is metered
   * against. Its own draw, near 0 at times, would make a late retry cost many attempts and
   * timer granularity alone a shortfall.
   */
  private period(): number {
    return meanReconnectDelay(this.core.behaviour.reconnect, this.failures);
  }
}

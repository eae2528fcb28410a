import type { ClientLife } from './client-life.js';
import { reconnectDelay } from './reconnect-policy.js';

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
    const delay = this.delay();
    this.core.ctx.scheduler.after(delay, action, this.period(delay));
  }

  /** One more failed attempt; naive: one attempt every interval, counted from the attempt's start however long it took. */
  afterAttempt(action: () => void): void {
    this.failures += 1;
    const delay = this.delay();
    const wait = this.naive ? Math.max(0, this.attemptStartedAt + delay - this.core.ctx.clock.now()) : delay;
    this.core.ctx.scheduler.after(wait, action, this.period(delay));
  }

  private get naive(): boolean {
    return this.core.behaviour.reconnect.policy === 'naive';
  }

  private delay(): number {
    return reconnectDelay(this.core.behaviour.reconnect, this.failures, this.core.identity.random);
  }

  /** Only a naive client retries on a period whose late runs skip attempts; a backed-off retry is one attempt, late or not. */
  private period(delay: number): number | undefined {
    return this.naive ? delay : undefined;
  }
}

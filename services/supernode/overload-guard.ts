import type { Clock } from '../common/clock.js';
import { SlidingWindowCounter } from '../common/sliding-window-counter.js';

export interface LoadCapacity {
  readonly sessions: number;
  readonly requestsPerSecond: number;
}

/** Load as a fraction of capacity: the larger of the session share and the request-rate share (over `windowMs`). */
export class LoadMeter {
  private readonly requests: SlidingWindowCounter;
  private readonly recent: SlidingWindowCounter;

  constructor(
    clock: Clock,
    readonly capacity: LoadCapacity,
    windowMs = 1_000,
    admissionWindowMs = 1_000,
  ) {
    this.requests = new SlidingWindowCounter(clock, windowMs, 10);
    this.recent = new SlidingWindowCounter(clock, admissionWindowMs, 10);
  }

  /** Every inbound frame and every connection attempt counts, refused ones included. */
  recordRequest(): void {
    this.requests.add();
    this.recent.add();
  }

  /**
   * Load over the short admission window: whether the host can answer a login right now.
   * Self-protection looks at the longer window, so a burst turns logins away without counting as an overload episode.
   */
  loadNow(sessions: number): number {
    return Math.max(sessions / this.capacity.sessions, this.recent.ratePerSecond() / this.capacity.requestsPerSecond);
  }

  requestRate(): number {
    return this.requests.ratePerSecond();
  }

  load(sessions: number): number {
    return Math.max(sessions / this.capacity.sessions, this.requestRate() / this.capacity.requestsPerSecond);
  }
}

export type GuardVerdict = { readonly trip: false } | { readonly trip: true; readonly reason: string };

/**
 * Self-protection: trips once an overload episode has lasted the grace period and load is still
 * above the threshold. An episode ends only after load has stayed at or below the threshold for
 * the calm period, so a load hovering just above capacity, with momentary dips in the 1 s rate
 * window, counts as one sustained overload, as it would on a real host.
 */
export class OverloadGuard {
  private overSince: number | undefined;
  private calmSince: number | undefined;
  private peak = 0;

  constructor(
    private readonly clock: Clock,
    private readonly threshold: number,
    private readonly graceMs: number,
    private readonly calmMs = 1_000,
  ) {}

  observe(load: number): GuardVerdict {
    const now = this.clock.now();
    if (load <= this.threshold) {
      if (this.overSince === undefined) return { trip: false };
      this.calmSince ??= now;
      if (now - this.calmSince >= this.calmMs) {
        this.overSince = undefined;
        this.calmSince = undefined;
        this.peak = 0;
      }
      return { trip: false };
    }
    this.calmSince = undefined;
    this.overSince ??= now;
    this.peak = Math.max(this.peak, load);
    if (now - this.overSince < this.graceMs) return { trip: false };
    return {
      trip: true,
      reason: `load above ${this.threshold} for ${Math.round(now - this.overSince)} ms (peak ${this.peak.toFixed(2)}, now ${load.toFixed(2)})`,
    };
  }
}

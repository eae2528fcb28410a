/**
 * Did the process offer the load its schedules promised? An attempt due every `periodMs` that
 * runs L late comes every `periodMs` + L, so it counts as 1 + L / `periodMs` scheduled and 1
 * made: over a schedule, 1 - made / scheduled is how far its offered rate fell below the stated
 * one. For drawn intervals (Poisson gaps, jittered backoff) `periodMs` is the mean, so a late
 * attempt costs its expected share. A busy event loop (the host, not the system under test)
 * shows here first. Both counts are fractional.
 */
export class DeliveryMeter {
  private scheduledCount = 0;
  private madeCount = 0;

  /** An attempt due at `dueAt` on a schedule of (mean) period `periodMs` ran at `ranAt`; a period of 0 states no rate, so it counts on time. */
  record(dueAt: number, ranAt: number, periodMs: number): void {
    const lateMs = Math.max(0, ranAt - dueAt);
    this.scheduledCount += 1 + (periodMs > 0 ? lateMs / periodMs : 0);
    this.madeCount += 1;
  }

  get scheduled(): number {
    return this.scheduledCount;
  }

  get made(): number {
    return this.madeCount;
  }
}

/**
 * Did the process make the attempts its schedule promised? A periodic task (a retry every
 * `periodMs`, a heartbeat) that runs late has skipped the attempts it would have made in the
 * meantime: those count as scheduled and not made. A busy event loop (the host, not the system
 * under test) shows here first.
 */
export class DeliveryMeter {
  private scheduledCount = 0;
  private madeCount = 0;

  /** A periodic attempt due at `dueAt` ran at `ranAt`. */
  record(dueAt: number, ranAt: number, periodMs: number): void {
    const lateMs = Math.max(0, ranAt - dueAt);
    const skipped = periodMs > 0 ? Math.floor(lateMs / periodMs) : 0;
    this.scheduledCount += 1 + skipped;
    this.madeCount += 1;
  }

  get scheduled(): number {
    return this.scheduledCount;
  }

  get made(): number {
    return this.madeCount;
  }
}

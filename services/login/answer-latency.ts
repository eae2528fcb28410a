/**
 * p99 of the answers completed in the last full window (default 1 s), in milliseconds; 0 when none
 * completed. Rolled on reads and records, so it needs no timer.
 */
export class AnswerLatencyWindow {
  private current: number[] = [];
  private windowStart = 0;
  private lastP99 = 0;

  constructor(
    private readonly now: () => number,
    private readonly windowMs = 1_000,
    private readonly maxSamples = 10_000,
  ) {
    this.windowStart = now();
  }

  record(ms: number): void {
    this.roll();
    if (this.current.length < this.maxSamples) this.current.push(ms);
  }

  get p99Ms(): number {
    this.roll();
    return this.lastP99;
  }

  private roll(): void {
    const now = this.now();
    const elapsed = now - this.windowStart;
    if (elapsed < this.windowMs) return;
    // A window ending more than one window ago holds nothing recent: nothing was answered since.
    this.lastP99 = elapsed < this.windowMs * 2 ? p99(this.current) : 0;
    this.current = [];
    this.windowStart = now - (elapsed % this.windowMs);
  }
}

function p99(samples: readonly number[]): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] ?? 0;
}

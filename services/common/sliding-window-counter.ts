import type { Clock } from './clock.js';

/** Counts events in the last `windowMs` using fixed buckets: O(1) per event, bounded memory. */
export class SlidingWindowCounter {
  private readonly buckets: number[];
  private readonly bucketMs: number;
  private currentSlot = 0;
  private currentBucketStart: number;

  constructor(
    private readonly clock: Clock,
    private readonly windowMs = 1_000,
    bucketCount = 10,
  ) {
    this.buckets = new Array<number>(bucketCount).fill(0);
    this.bucketMs = windowMs / bucketCount;
    this.currentBucketStart = clock.now();
  }

  add(count = 1): void {
    this.advance();
    this.buckets[this.currentSlot] = (this.buckets[this.currentSlot] ?? 0) + count;
  }

  /** Events in the window, scaled to events per second. */
  ratePerSecond(): number {
    this.advance();
    return (this.buckets.reduce((sum, value) => sum + value, 0) * 1_000) / this.windowMs;
  }

  private advance(): void {
    const now = this.clock.now();
    const steps = Math.floor((now - this.currentBucketStart) / this.bucketMs);
    if (steps <= 0) return;
    const clear = Math.min(steps, this.buckets.length);
    for (let i = 1; i <= clear; i += 1) this.buckets[(this.currentSlot + i) % this.buckets.length] = 0;
    this.currentSlot = (this.currentSlot + steps) % this.buckets.length;
    this.currentBucketStart += steps * this.bucketMs;
  }
}

import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

const nsPerMs = 1e6;

/**
 * Event-loop delay over the last full window (default 1 s): p99 and max in milliseconds. The
 * window rolls on its own timer, so each read shows a recent, whole window.
 */
export class EventLoopLag {
  private readonly histogram: IntervalHistogram;
  private readonly timer: NodeJS.Timeout;
  private lastP99Ms = 0;
  private lastMaxMs = 0;

  constructor(windowMs = 1_000) {
    this.histogram = monitorEventLoopDelay({ resolution: 10 });
    this.histogram.enable();
    this.timer = setInterval(() => this.roll(), windowMs);
    this.timer.unref();
  }

  get p99Ms(): number {
    return this.lastP99Ms;
  }

  get maxMs(): number {
    return this.lastMaxMs;
  }

  stop(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }

  private roll(): void {
    // The histogram counts the sampling resolution itself as delay; report only what exceeds it.
    const overhead = 10;
    this.lastP99Ms = Math.max(0, this.histogram.percentile(99) / nsPerMs - overhead);
    this.lastMaxMs = Math.max(0, this.histogram.max / nsPerMs - overhead);
    this.histogram.reset();
  }
}

import { Histogram, type Registry } from 'prom-client';
import type { LatencySummary } from '../protocol/status.js';

const windowSize = 2048;
/** 1 ms to 10 s, in seconds. */
const bucketsSeconds = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];

/**
 * Records latencies given in milliseconds into a prom-client histogram in seconds (Prometheus'
 * base unit: `name` must end in `_seconds`) and a ring of recent samples for the `/status`
 * percentiles, which stay in milliseconds.
 */
export class LatencyRecorder {
  private readonly ring = new Float64Array(windowSize);
  private filled = 0;
  private cursor = 0;
  private total = 0;
  private max = 0;
  private readonly histogram: Histogram;

  constructor(registry: Registry, name: `${string}_seconds`, help: string) {
    this.histogram = new Histogram({ name, help, buckets: bucketsSeconds, registers: [registry] });
  }

  record(ms: number): void {
    this.ring[this.cursor] = ms;
    this.cursor = (this.cursor + 1) % windowSize;
    this.filled = Math.min(this.filled + 1, windowSize);
    this.total += 1;
    this.max = Math.max(this.max, ms);
    this.histogram.observe(ms / 1_000);
  }

  /** Percentiles over the most recent samples; `count` and `max` over the whole run. */
  summary(): LatencySummary {
    if (this.filled === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };
    const sorted = Array.from(this.ring.subarray(0, this.filled)).sort((x, y) => x - y);
    const at = (q: number): number => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
    return { count: this.total, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(this.max) };
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

import { Counter, Gauge, type Registry } from 'prom-client';

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** The Prometheus name of a counter: `<prefix>_<snake_name>_total`. */
export function counterMetricName(prefix: string, name: string): string {
  return `${prefix}_${snake(name)}_total`;
}

/** The Prometheus name of a gauge: `<prefix>_<snake_name>`, never ending in `_total` (the suffix of counters), so `clientsTotal` is `<prefix>_clients`. */
export function gaugeMetricName(prefix: string, name: string): string {
  return `${prefix}_${snake(name)}`.replace(/_total$/, '');
}

/** Named counters kept both for `/status` (plain numbers) and `/metrics` (prom-client). */
export class StatusCounters<N extends string> {
  private readonly values = new Map<N, number>();
  private readonly metrics = new Map<N, Counter>();

  constructor(registry: Registry, prefix: string, names: readonly N[]) {
    for (const name of names) {
      this.values.set(name, 0);
      this.metrics.set(name, new Counter({ name: counterMetricName(prefix, name), help: `${name} (see /status)`, registers: [registry] }));
    }
  }

  inc(name: N, by = 1): void {
    this.values.set(name, (this.values.get(name) ?? 0) + by);
    this.metrics.get(name)?.inc(by);
  }

  get(name: N): number {
    return this.values.get(name) ?? 0;
  }

  snapshot(): Record<N, number> {
    return Object.fromEntries(this.values) as Record<N, number>;
  }
}

/**
 * Gauges read from live state when `/status` or `/metrics` is served. In `/status` they are all
 * gauges; in `/metrics` the `cumulative` ones (running totals that only grow) are counters, named `_total`.
 */
export class StatusGauges<N extends string> {
  constructor(
    registry: Registry,
    prefix: string,
    private readonly readers: Readonly<Record<N, () => number>>,
    options: { readonly cumulative?: readonly NoInfer<N>[] } = {},
  ) {
    const cumulative = new Set<N>(options.cumulative);
    for (const [name, read] of Object.entries(readers) as [N, () => number][]) {
      const help = `${name} (see /status)`;
      if (cumulative.has(name)) {
        new Counter({
          name: counterMetricName(prefix, name),
          help,
          registers: [registry],
          collect() {
            this.reset();
            this.inc(read());
          },
        });
        continue;
      }
      new Gauge({
        name: gaugeMetricName(prefix, name),
        help,
        registers: [registry],
        collect() {
          this.set(read());
        },
      });
    }
  }

  snapshot(): Record<N, number> {
    const out = {} as Record<N, number>;
    for (const [name, read] of Object.entries(this.readers) as [N, () => number][]) out[name] = round(read());
    return out;
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * Keeps one node's counters monotonic across restarts: a restarted process counts from zero, so
 * when a counter goes backwards (or the uptime does) the value seen before is added as an offset.
 */
export interface CounterAccumulator {
  update(counters: Readonly<Record<string, number>>, uptimeSeconds?: number): void;
  /** Cumulative since the first observation, across restarts. */
  value(name: string): number;
}

export function createCounterAccumulator(): CounterAccumulator {
  const offsets = new Map<string, number>();
  const last = new Map<string, number>();
  let lastUptime: number | undefined;

  return {
    update(counters, uptimeSeconds) {
      const restarted = uptimeSeconds !== undefined && lastUptime !== undefined && uptimeSeconds < lastUptime;
      if (uptimeSeconds !== undefined) lastUptime = uptimeSeconds;
      const names = new Set([...last.keys(), ...Object.keys(counters)]);
      for (const name of names) {
        const previous = last.get(name) ?? 0;
        const current = counters[name];
        if (current === undefined) {
          if (restarted) {
            offsets.set(name, (offsets.get(name) ?? 0) + previous);
            last.set(name, 0);
          }
          continue;
        }
        if (restarted || current < previous) offsets.set(name, (offsets.get(name) ?? 0) + previous);
        last.set(name, current);
      }
    },
    value: (name) => (offsets.get(name) ?? 0) + (last.get(name) ?? 0),
  };
}

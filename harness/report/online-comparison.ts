import type { Architecture } from '../scenario/types.js';
import type { ChartSeries, EventLine, FaultWindow } from './chart-data.js';

/**
 * Every architecture's online share of its steady state on one x axis: seconds from each one's own
 * T0, since architectures that run side by side start their timelines at different moments. The
 * fields the chart code reads for a series (`timelineStart`, `viewStart`, `windows`, `lines`) have
 * the same meaning here, on that shared axis.
 */
export interface OnlineComparison {
  readonly architectures: readonly Architecture[];
  readonly msPerScenarioHour: number | null;
  /** T0 on this axis. */
  readonly timelineStart: 0;
  readonly viewStart: number;
  readonly x: readonly number[];
  /** Per architecture, in the order of `architectures`: online % of steady state at each x, null where it has no sample there. */
  readonly percent: readonly (readonly (number | null)[])[];
  readonly windows: readonly FaultWindow[];
  readonly lines: readonly EventLine[];
}

const ms = (seconds: number): number => Math.round(seconds * 1000);

/** Null unless at least two architectures have samples: one line compares nothing. */
export function onlineComparison(all: readonly ChartSeries[]): OnlineComparison | null {
  const series = all.filter((one) => one.t.length > 0);
  if (series.length < 2) return null;
  const byX = new Map<number, (number | null)[]>();
  series.forEach((one, column) => {
    one.t.forEach((t, index) => {
      const key = ms(t - one.timelineStart);
      const row = byX.get(key) ?? series.map(() => null);
      row[column] = one.onlinePercent[index] ?? null;
      byX.set(key, row);
    });
  });
  const keys = [...byX.keys()].sort((a, b) => a - b);
  return {
    architectures: series.map((one) => one.architecture),
    msPerScenarioHour: series.find((one) => one.msPerScenarioHour !== null)?.msPerScenarioHour ?? null,
    timelineStart: 0,
    viewStart: Math.min(...series.map((one) => ms(one.viewStart - one.timelineStart))) / 1000,
    x: keys.map((key) => key / 1000),
    percent: series.map((_, column) => keys.map((key) => byX.get(key)?.[column] ?? null)),
    windows: sharedWindows(series),
    lines: sharedLines(series),
  };
}

/**
 * Counts a key's occurrences in one architecture: the k-th window (or line) of a step is the same step
 * on every architecture, even when the architectures reached it a little apart from their own T0.
 */
function occurrenceKeys<T>(items: readonly T[], keyOf: (item: T) => string): string[] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const key = keyOf(item);
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    return `${key}#${k}`;
  });
}

/**
 * Each fault window once, from T0, spanning every architecture's (earliest start, latest end); one
 * that not every architecture had is named with those that had it.
 */
function sharedWindows(series: readonly ChartSeries[]): FaultWindow[] {
  const found = new Map<string, { window: FaultWindow; architectures: Architecture[] }>();
  for (const one of series) {
    const keys = occurrenceKeys(one.windows, (window) => window.id);
    one.windows.forEach((window, index) => {
      const shifted = { ...window, from: (ms(window.from) - ms(one.timelineStart)) / 1000, to: window.to === null ? null : (ms(window.to) - ms(one.timelineStart)) / 1000 };
      const key = keys[index]!;
      const seen = found.get(key);
      if (seen === undefined) {
        found.set(key, { window: shifted, architectures: [one.architecture] });
        return;
      }
      const to = seen.window.to === null || shifted.to === null ? null : Math.max(seen.window.to, shifted.to);
      seen.window = { ...seen.window, from: Math.min(seen.window.from, shifted.from), to };
      seen.architectures.push(one.architecture);
    });
  }
  return [...found.values()]
    .map(({ window, architectures }) => (architectures.length === series.length ? window : { ...window, id: `${window.id} (${architectures.join(', ')})` }))
    .sort((a, b) => a.from - b.from);
}

/** Each remedy and mark once, at the earliest of the architectures' times from their own T0. */
function sharedLines(series: readonly ChartSeries[]): EventLine[] {
  const found = new Map<string, EventLine>();
  for (const one of series) {
    const keys = occurrenceKeys(one.lines, (line) => `${line.kind}:${line.label}`);
    one.lines.forEach((line, index) => {
      const t = (ms(line.t) - ms(one.timelineStart)) / 1000;
      const key = keys[index]!;
      const seen = found.get(key);
      if (seen === undefined || t < seen.t) found.set(key, { ...line, t });
    });
  }
  return [...found.values()].sort((a, b) => a.t - b.t);
}

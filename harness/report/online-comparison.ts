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

/** Each fault window once, from T0; one that not every architecture had is named with those that had it. */
function sharedWindows(series: readonly ChartSeries[]): FaultWindow[] {
  const found = new Map<string, { window: FaultWindow; architectures: Architecture[] }>();
  for (const one of series) {
    for (const window of one.windows) {
      const shifted = { ...window, from: (ms(window.from) - ms(one.timelineStart)) / 1000, to: window.to === null ? null : (ms(window.to) - ms(one.timelineStart)) / 1000 };
      const key = `${window.id}@${shifted.from.toFixed(1)}`;
      const seen = found.get(key);
      if (seen === undefined) found.set(key, { window: shifted, architectures: [one.architecture] });
      else seen.architectures.push(one.architecture);
    }
  }
  return [...found.values()]
    .map(({ window, architectures }) => (architectures.length === series.length ? window : { ...window, id: `${window.id} (${architectures.join(', ')})` }))
    .sort((a, b) => a.from - b.from);
}

function sharedLines(series: readonly ChartSeries[]): EventLine[] {
  const found = new Map<string, EventLine>();
  for (const one of series) {
    for (const line of one.lines) {
      const t = (ms(line.t) - ms(one.timelineStart)) / 1000;
      const key = `${line.kind}:${line.label}@${t.toFixed(1)}`;
      if (!found.has(key)) found.set(key, { ...line, t });
    }
  }
  return [...found.values()].sort((a, b) => a.t - b.t);
}

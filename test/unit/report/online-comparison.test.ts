import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../harness/observe/history-types.js';
import { chartSeriesOf } from '../../../harness/report/chart-data.js';
import { onlineComparison } from '../../../harness/report/online-comparison.js';
import { TIMELINE_START_MS, TRIGGER, dedicatedHistory, p2pHistory } from './fixtures.js';

/** The same history, every event `by` ms later: an architecture whose run started later, side by side. */
const shifted = (history: readonly HistoryEvent[], by: number): HistoryEvent[] => history.map((event) => ({ ...event, t: event.t + by }));

describe('onlineComparison', () => {
  const p2p = chartSeriesOf('p2p', p2pHistory(), 950);

  it('puts both architectures on one axis of seconds from their own T0', () => {
    const dedicated = chartSeriesOf('dedicated', shifted(dedicatedHistory(), 250), 960);
    const comparison = onlineComparison([p2p, dedicated]);
    if (comparison === null) throw new Error('two architectures compare');
    expect(comparison.architectures).toEqual(['p2p', 'dedicated']);
    expect(comparison.timelineStart).toBe(0);
    const t0 = comparison.x.indexOf(0);
    expect(comparison.percent[0]![t0]).toBeCloseTo(100);
    expect(comparison.percent[1]![t0]).toBeCloseTo(100);
    // The dedicated samples land at the same offsets from T0 as p2p's, so every x has both.
    expect(comparison.percent.every((column) => column.every((value) => value !== null))).toBe(true);
    expect(comparison.x[0]).toBe((2_000 - TIMELINE_START_MS) / 1000);
    expect(comparison.viewStart).toBe(p2p.viewStart - p2p.timelineStart);
    expect(Math.min(...comparison.percent[0]!.filter((v): v is number => v !== null))).toBeCloseTo((100 * 80) / 950);
  });

  it('leaves a gap where one architecture has no sample, and names a fault window only one of them had', () => {
    const samplesLater = dedicatedHistory().map((event) => (event.type === 'sample' ? { ...event, t: event.t + 100 } : event));
    const dedicated = chartSeriesOf('dedicated', samplesLater, 960);
    const comparison = onlineComparison([p2p, dedicated]);
    if (comparison === null) throw new Error('two architectures compare');
    expect(comparison.x).toHaveLength(2 * p2p.t.length);
    expect(comparison.percent[0]!.filter((v) => v === null)).toHaveLength(p2p.t.length);
    const from = (TRIGGER.inject - TIMELINE_START_MS) / 1000;
    expect(comparison.windows).toEqual([
      { id: TRIGGER.id, kind: 'latency', targets: ['clients->offline-messages-1'], from, to: (TRIGGER.heal - TIMELINE_START_MS) / 1000 },
      { id: 'crash-one (dedicated)', kind: 'crash', targets: ['supernode-3'], from: 12, to: 18 },
    ]);
    expect(comparison.lines.filter((line) => line.label === 'T0')).toEqual([{ t: 0, kind: 'mark', label: 'T0' }]);
    expect(comparison.lines.map((line) => line.label)).toContain('autoscale +1');
  });

  it('draws a step once when the architectures reached it a little apart from their own T0', () => {
    const later = (event: HistoryEvent): HistoryEvent =>
      (event.type === 'fault' && event.id === TRIGGER.id) || (event.type === 'mark' && event.label !== 'T0') ? { ...event, t: event.t + 400 } : event;
    const dedicated = chartSeriesOf('dedicated', dedicatedHistory().map(later), 960);
    const comparison = onlineComparison([p2p, dedicated]);
    if (comparison === null) throw new Error('two architectures compare');
    const trigger = comparison.windows.filter((window) => window.id.startsWith(TRIGGER.id));
    expect(trigger).toEqual([
      { id: TRIGGER.id, kind: 'latency', targets: ['clients->offline-messages-1'], from: (TRIGGER.inject - TIMELINE_START_MS) / 1000, to: (TRIGGER.heal + 400 - TIMELINE_START_MS) / 1000 },
    ]);
    const labels = comparison.lines.map((line) => `${line.kind}:${line.label}`);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('compares nothing with fewer than two architectures that have samples', () => {
    const empty = chartSeriesOf('dedicated', [], 960);
    expect(onlineComparison([p2p])).toBeNull();
    expect(onlineComparison([p2p, empty])).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { chartSeriesOf, viewStartOf } from '../../../harness/report/chart-data.js';
import type { HistoryEvent } from '../../../harness/observe/history-types.js';
import { MS_PER_SCENARIO_HOUR, TIMELINE_START_MS, TRIGGER, dedicatedHistory, p2pHistory } from './fixtures.js';

describe('chartSeriesOf', () => {
  it('turns a history into column arrays in seconds with fault windows and event lines', () => {
    const series = chartSeriesOf('p2p', p2pHistory(), 950);
    expect(series.msPerScenarioHour).toBe(MS_PER_SCENARIO_HOUR);
    expect(series.timelineStart).toBe(TIMELINE_START_MS / 1000);
    expect(series.t[0]).toBe(2);
    expect(series.online).toHaveLength(series.t.length);
    expect(series.onlinePercent[0]).toBeCloseTo(100);
    expect(Math.min(...series.online)).toBe(80);
    expect(series.windows).toEqual([{ id: TRIGGER.id, kind: 'latency', targets: ['clients->offline-messages-1'], from: 9, to: 15 }]);
    expect(series.lines.filter((l) => l.kind === 'remedy').map((l) => l.t)).toEqual([30, 36]);
    expect(series.lines.filter((l) => l.kind === 'mark').map((l) => l.label)).toEqual(['T0', 'controlled re-entry']);
    expect(series.timeline.filter((e) => e.text.includes('down (self-protection)'))).toHaveLength(10);
  });

  it('starts the x axis a tenth of the timeline before T0, folding away the deployment and the login ramp', () => {
    // T0 at 8 s, the last event at 60 s: a lead-in of 5.2 s.
    expect(chartSeriesOf('p2p', p2pHistory(), 950).viewStart).toBe(2.8);
    // skype-2010: about 100 s of deployment, login ramp and steady state before a 45 s timeline.
    expect(viewStartOf(104, 1, 150)).toBe(99.4);
    // Never before the first sample, nor after T0.
    expect(viewStartOf(3, 2, 200)).toBe(2);
    expect(viewStartOf(10, 1, 10)).toBe(10);
  });

  it('starts the x axis at the first sample when the history has no timeline', () => {
    const history = p2pHistory().filter((event) => !(event.type === 'phase' && event.phase === 'timeline'));
    const series = chartSeriesOf('p2p', history, 950);
    expect(series.viewStart).toBe(series.t[0]);
    expect(viewStartOf(null, undefined, 0)).toBe(0);
  });

  it('computes lookup success per interval from the cumulative counters', () => {
    const series = chartSeriesOf('dedicated', dedicatedHistory(), 960);
    expect(series.lookupSuccess[0]).toBeNull();
    expect(series.lookupSuccess[1]).toBe(100);
    const worst = Math.min(...series.lookupSuccess.filter((v): v is number => v !== null));
    expect(worst).toBe(98);
  });

  it('leaves the percentage of steady state empty when the steady state was not measured', () => {
    const series = chartSeriesOf('p2p', p2pHistory(), null);
    expect(series.online.length).toBeGreaterThan(0);
    expect(series.onlinePercent).toEqual(series.online.map(() => null));
  });

  it('carries the clients re-syncing their inbox where the history sampled them, null where it did not', () => {
    const history = p2pHistory().map((event, index) =>
      event.type === 'sample' && index % 2 === 0 ? { ...event, totals: { ...event.totals, clientsResyncing: 7 } } : event,
    );
    const series = chartSeriesOf('p2p', history, 950);
    expect(series.resyncing).toHaveLength(series.t.length);
    expect(new Set(series.resyncing)).toEqual(new Set([7, null]));
    expect(chartSeriesOf('p2p', p2pHistory(), 950).resyncing.every((v) => v === null)).toBe(true);
  });

  it('keeps a fault that was never healed open to the end', () => {
    const history: HistoryEvent[] = [
      { t: 1_000, type: 'fault', id: 'cut', action: 'inject', kind: 'down', targets: [] },
      { t: 5_000, type: 'run-end', outcome: 'interrupted' },
    ];
    const series = chartSeriesOf('p2p', history, 0);
    expect(series.windows).toEqual([{ id: 'cut', kind: 'down', targets: [], from: 1, to: null }]);
    expect(series.msPerScenarioHour).toBeNull();
    expect(series.end).toBe(5);
  });

  it("ends a crash's window when the last of its nodes is restarted, not at the rollback's heal", () => {
    const history: HistoryEvent[] = [
      { t: 1_000, type: 'fault', id: 'box', action: 'inject', kind: 'crash', targets: ['sn-01', 'sn-02'] },
      { t: 2_000, type: 'node', node: 'sn-01', role: 'supernode', change: 'down', cause: 'fault' },
      { t: 3_000, type: 'node', node: 'sn-01', role: 'supernode', change: 'restarted', cause: 'user-restart' },
      { t: 4_000, type: 'node', node: 'sn-02', role: 'supernode', change: 'restarted', cause: 'user-restart' },
      { t: 9_000, type: 'fault', id: 'box', action: 'heal', kind: 'crash', targets: ['sn-01', 'sn-02'] },
    ];
    expect(chartSeriesOf('dedicated', history, 0).windows).toEqual([{ id: 'box', kind: 'crash', targets: ['sn-01', 'sn-02'], from: 1, to: 4 }]);
  });

  it('keeps a crash whose nodes stay down open until its heal', () => {
    const history: HistoryEvent[] = [
      { t: 1_000, type: 'fault', id: 'box', action: 'inject', kind: 'crash', targets: ['sn-01', 'sn-02'] },
      { t: 3_000, type: 'node', node: 'sn-01', role: 'supernode', change: 'restarted', cause: 'user-restart' },
      { t: 9_000, type: 'fault', id: 'box', action: 'heal', kind: 'crash', targets: ['sn-01', 'sn-02'] },
    ];
    expect(chartSeriesOf('dedicated', history, 0).windows).toEqual([{ id: 'box', kind: 'crash', targets: ['sn-01', 'sn-02'], from: 1, to: 9 }]);
  });
});

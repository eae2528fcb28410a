import type { HistoryEvent } from '../observe/history-types.js';
import type { Architecture } from '../scenario/types.js';

/** A fault from inject to heal, in seconds since the run started; `to` is null when it was never healed. */
export interface FaultWindow {
  readonly id: string;
  readonly kind: string;
  readonly targets: readonly string[];
  readonly from: number;
  readonly to: number | null;
}

export interface EventLine {
  readonly t: number;
  readonly kind: 'remedy' | 'mark';
  readonly label: string;
}

export interface TimelineEntry {
  readonly t: number;
  readonly text: string;
}

/** What the HTML report plots for one architecture: column arrays on one x axis (seconds since run start). */
export interface ChartSeries {
  readonly architecture: Architecture;
  /** Real milliseconds per scenario hour; null when the history has no run-start. */
  readonly msPerScenarioHour: number | null;
  /** Seconds since run start at which the timeline (scenario T0) began. */
  readonly timelineStart: number;
  /**
   * Where the charts' x axis begins: a short lead-in before T0, so that deployment and the login ramp
   * (minutes, against a timeline of seconds) are folded away instead of taking most of the width.
   * The first sample when the history has no timeline.
   */
  readonly viewStart: number;
  readonly end: number;
  readonly t: readonly number[];
  readonly online: readonly number[];
  /** Online clients as a percentage of the steady-state count. */
  readonly onlinePercent: readonly (number | null)[];
  /** Clients logged in but re-reading an inbox they take for invalid; null where the history did not sample it. */
  readonly resyncing: readonly (number | null)[];
  readonly supernodesServing: readonly number[];
  readonly supernodesTotal: readonly number[];
  readonly loadMean: readonly number[];
  readonly loadMax: readonly number[];
  /** Lookups that succeeded within each sampling interval, in percent; null when none were made. */
  readonly lookupSuccess: readonly (number | null)[];
  readonly windows: readonly FaultWindow[];
  readonly lines: readonly EventLine[];
  readonly timeline: readonly TimelineEntry[];
}

const seconds = (ms: number): number => Math.round(ms) / 1000;

/** The lead-in the charts show before T0, as a share of the timeline's length. */
export const LEAD_IN_SHARE = 0.1;

/** Where the x axis begins: T0 less a lead-in of a tenth of the timeline, never before the first sample. */
export function viewStartOf(timelineStart: number | null, firstSample: number | undefined, end: number): number {
  const first = firstSample ?? 0;
  if (timelineStart === null) return first;
  const lead = Math.min(Math.max(0, timelineStart - first), LEAD_IN_SHARE * Math.max(0, end - timelineStart));
  return Math.round((timelineStart - lead) * 1000) / 1000;
}

/** `steadyOnlineClients` null (not measured) leaves the percentage series empty (nulls). */
export function chartSeriesOf(architecture: Architecture, history: readonly HistoryEvent[], steadyOnlineClients: number | null): ChartSeries {
  const events = [...history].sort((a, b) => a.t - b.t);
  const t: number[] = [];
  const online: number[] = [];
  const onlinePercent: (number | null)[] = [];
  const resyncing: (number | null)[] = [];
  const supernodesServing: number[] = [];
  const supernodesTotal: number[] = [];
  const loadMean: number[] = [];
  const loadMax: number[] = [];
  const lookupSuccess: (number | null)[] = [];
  const windows: FaultWindow[] = [];
  const open = new Map<string, { kind: string; targets: readonly string[]; from: number }>();
  /** A crash's nodes not yet restarted: its window ends when the last is back, not at the rollback's heal. */
  const stillDown = new Map<string, Set<string>>();
  const close = (id: string, to: number): void => {
    const started = open.get(id);
    if (started === undefined) return;
    windows.push({ id, ...started, to });
    open.delete(id);
    stillDown.delete(id);
  };
  const lines: EventLine[] = [];
  const timeline: TimelineEntry[] = [];
  let msPerScenarioHour: number | null = null;
  let timelineStart: number | null = null;
  let previousLookups: { ok: number; failed: number } | null = null;

  for (const event of events) {
    const at = seconds(event.t);
    switch (event.type) {
      case 'run-start':
        msPerScenarioHour = event.msPerScenarioHour > 0 ? event.msPerScenarioHour : null;
        break;
      case 'phase':
        if (event.phase === 'timeline') timelineStart = at;
        timeline.push({ t: at, text: `phase ${event.phase}` });
        break;
      case 'sample': {
        const totals = event.totals;
        t.push(at);
        online.push(totals.clientsOnline);
        onlinePercent.push(steadyOnlineClients !== null && steadyOnlineClients > 0 ? (100 * totals.clientsOnline) / steadyOnlineClients : null);
        resyncing.push(totals.clientsResyncing ?? null);
        supernodesServing.push(totals.supernodesServing);
        supernodesTotal.push(totals.supernodesTotal);
        loadMean.push(totals.loadMean);
        loadMax.push(totals.loadMax);
        const ok = Math.max(0, totals.lookupsOk - (previousLookups?.ok ?? 0));
        const failed = Math.max(0, totals.lookupsFailed - (previousLookups?.failed ?? 0));
        lookupSuccess.push(previousLookups === null || ok + failed === 0 ? null : (100 * ok) / (ok + failed));
        previousLookups = { ok: totals.lookupsOk, failed: totals.lookupsFailed };
        break;
      }
      case 'fault':
        if (event.action === 'inject') {
          open.set(event.id, { kind: event.kind, targets: event.targets, from: at });
          if (event.kind === 'crash' && event.targets.length > 0) stillDown.set(event.id, new Set(event.targets));
        } else {
          close(event.id, at);
        }
        timeline.push({ t: at, text: `${event.action} ${event.kind} "${event.id}" on ${event.targets.join(', ') || '—'}` });
        break;
      case 'remedy':
        lines.push({ t: at, kind: 'remedy', label: event.label });
        timeline.push({ t: at, text: `remedy "${event.label}": +${event.added.length} (${event.added.join(', ')})` });
        break;
      case 'mark':
        lines.push({ t: at, kind: 'mark', label: event.label });
        timeline.push({ t: at, text: `mark "${event.label}"` });
        break;
      case 'node':
        if (event.change === 'restarted') {
          for (const [id, down] of stillDown) {
            down.delete(event.node);
            if (down.size === 0) close(id, at);
          }
        }
        timeline.push({ t: at, text: `${event.role} ${event.node} ${event.change}${event.cause === undefined ? '' : ` (${event.cause})`}` });
        break;
      case 'error':
        timeline.push({ t: at, text: `error${event.code === undefined ? '' : ` ${event.code}`}: ${event.message}` });
        break;
      case 'run-end':
        timeline.push({ t: at, text: `run ${event.outcome}${event.reason === undefined ? '' : `: ${event.reason}`}` });
        break;
      case 'interrupt':
        timeline.push({ t: at, text: `interrupted (SIGINT/SIGTERM) during ${event.phase}` });
        break;
    }
  }
  for (const [id, started] of open) windows.push({ id, ...started, to: null });
  windows.sort((a, b) => a.from - b.from);

  const end = events.length === 0 ? 0 : seconds(events[events.length - 1]!.t);
  return {
    architecture,
    msPerScenarioHour,
    timelineStart: timelineStart ?? 0,
    viewStart: viewStartOf(timelineStart, t[0], end),
    end,
    t,
    online,
    onlinePercent,
    resyncing,
    supernodesServing,
    supernodesTotal,
    loadMean,
    loadMax,
    lookupSuccess,
    windows,
    lines,
    timeline,
  };
}

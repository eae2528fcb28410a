import type { HistoryEvent } from '../../../harness/observe/history-types.js';
import { stepStartOf } from '../../../harness/verdict/history-series.js';

/** One action a replay repeats: what it did, and when its step began, in real ms from T0. */
export interface ReplayedAction {
  readonly what: string;
  readonly offsetMs: number;
}

/** A link is named `<runId>.<from>-><node>`: the same link in another run has another prefix. */
const withoutRunId = (target: string): string => (target.includes('->') ? target.slice(target.indexOf('.') + 1) : target);

/**
 * Faults, remedies and the operator's marks between T0 and the rollback, each at the moment its step
 * began (`startedT`), from T0: how long the platform took to carry it out (a Docker kill takes seconds
 * on a loaded host) is not the recording's to repeat. A history without step starts gives when each
 * was done.
 */
export function actionsOf(events: readonly HistoryEvent[], markLabels: ReadonlySet<string>): ReplayedAction[] {
  const t0 = events.find((e) => e.type === 'phase' && e.phase === 'timeline')?.t ?? Number.NaN;
  const end = events.find((e) => e.type === 'phase' && e.phase === 'rollback')?.t ?? Number.POSITIVE_INFINITY;
  return events.flatMap((event) => {
    if (event.t < t0 || event.t >= end) return [];
    if (event.type === 'fault') return [{ what: `${event.action} ${event.kind} ${event.id} on ${event.targets.map(withoutRunId).sort().join(',')}`, offsetMs: stepStartOf(event) - t0 }];
    if (event.type === 'remedy') return [{ what: `remedy ${event.label} +${event.added.join(',')}`, offsetMs: stepStartOf(event) - t0 }];
    if (event.type === 'mark' && markLabels.has(event.label)) return [{ what: `mark ${event.label}`, offsetMs: stepStartOf(event) - t0 }];
    return [];
  });
}

import type { HistoryEvent, RunPhase } from '../observe/history-types.js';
import { everySampleOf, phaseWindow } from './history-series.js';
import type { UnreadFleetSamples } from './verdict-types.js';

/**
 * Above this share of the judged phase's samples with a fleet the harness could not read, the
 * low point and the recovery rest on too few samples: the run is unknown.
 */
export const UNREAD_FLEET_SAMPLE_BOUND = 0.05;

/** Samples of the phase (the timeline by default) in which some fleet's status could not be read for too long. */
export function measureUnreadFleetSamples(events: readonly HistoryEvent[], phase: RunPhase = 'timeline'): UnreadFleetSamples {
  const window = phaseWindow(events, phase);
  const samples = window === undefined ? [] : everySampleOf(events).filter((s) => s.t >= window.from && s.t <= window.to);
  const unread = samples.filter((s) => (s.totals.fleetsUnread ?? 0) > 0).length;
  const share = samples.length === 0 ? null : unread / samples.length;
  return { unread, samples: samples.length, share, exceeded: share !== null && share > UNREAD_FLEET_SAMPLE_BOUND };
}

/** `3 of 40 timeline samples (7.5%, bound 5%)` */
export function describeUnreadFleetSamples(unread: UnreadFleetSamples, phase = 'timeline'): string {
  const share = unread.share === null ? '' : ` (${(unread.share * 100).toFixed(1)}%, bound ${UNREAD_FLEET_SAMPLE_BOUND * 100}%)`;
  return `${unread.unread} of ${unread.samples} ${phase} samples with a fleet the harness could not read${share}`;
}

import type { HistoryEvent } from '../observe/history-types.js';
import { lookupSuccessBetween } from '../observe/lookup-success.js';
import { samplesOf } from './history-series.js';
import type { Recovery } from './recovery.js';

/**
 * Lookup success from the recovery to the end of the run: null when it never recovered,
 * undefined when no lookup happened after it.
 */
export function measureLookupSuccessAfterRecovery(events: readonly HistoryEvent[], recovery: Recovery): number | null | undefined {
  if (recovery.recoveredAt === null) return null;
  const samples = samplesOf(events);
  const firstAfter = samples.findIndex((s) => s.t >= (recovery.recoveredAt ?? 0));
  const from = samples[Math.max(0, firstAfter - 1)];
  const to = samples.at(-1);
  if (firstAfter < 0 || from === undefined || to === undefined) return undefined;
  return lookupSuccessBetween(from.totals, to.totals);
}

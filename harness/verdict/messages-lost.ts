import type { HistoryEvent } from '../observe/history-types.js';
import { samplesOf } from './history-series.js';

export interface MessagesLost {
  /** accepted - received - pending at the last sample, never below zero. */
  readonly lost: number;
  /** The same before clamping; negative when more arrived than the counters say were accepted. */
  readonly raw: number;
  readonly duplicates: number;
  readonly accepted: number;
  readonly received: number;
  readonly pending: number;
}

export function measureMessagesLost(events: readonly HistoryEvent[]): MessagesLost {
  const last = samplesOf(events).at(-1);
  if (last === undefined) throw new Error('the history has no sample');
  const { imsAccepted: accepted, imsReceived: received, offlinePending: pending, imsDuplicate: duplicates } = last.totals;
  const raw = accepted - received - pending;
  return { lost: Math.max(0, raw), raw, duplicates, accepted, received, pending };
}

import type { HistoryEvent } from '../observe/history-types.js';
import { firstFaultTime, msPerScenarioHour, realMsOf, runStartOf, samplesOf } from '../verdict/history-series.js';
import { measureMessagesLost } from '../verdict/messages-lost.js';
import { measureRecovery } from '../verdict/recovery.js';
import { type Displacement, worstDisplacement } from './displaced-sessions.js';

/** What the history shows beyond the summary: margins a replay meets with the same system, and the bounds no system can exceed. */
export interface TargetEvidence {
  /** The sessions the worst disconnecting fault displaced (a sampled dip may miss them). */
  readonly displacement?: Displacement;
  /** The lookups counted after the recovery. */
  readonly lookupsAfterRecovery?: { readonly ok: number; readonly all: number };
  /** One sampler tick in scenario hours: a sampled recovery may end one tick later. */
  readonly tickScenarioHours?: number;
  /**
   * The longest recovery the session could have measured, in scenario hours: from its first fault
   * to its end, less the hold a replay of the recording demands (its steady-state hold).
   */
  readonly recoveryWindowScenarioHours?: number;
  /** The messages accepted and judged (in flight at the end are not): the most that could be counted lost. */
  readonly messagesJudged?: number;
}

const safely = <T>(measure: () => T): T | undefined => {
  try {
    return measure();
  } catch {
    return undefined;
  }
};

export function gatherEvidence(events: readonly HistoryEvent[]): TargetEvidence {
  const start = runStartOf(events);
  const displacement = safely(() => worstDisplacement(events));
  const lookupsAfterRecovery = safely(() => lookupsAfter(events));
  const recoveryWindowScenarioHours = safely(() => recoveryWindow(events));
  const messagesJudged = safely(() => {
    const messages = measureMessagesLost(events);
    return messages.accepted - messages.inFlight.length;
  });
  return {
    ...(displacement === undefined ? {} : { displacement }),
    ...(lookupsAfterRecovery === undefined ? {} : { lookupsAfterRecovery }),
    ...(start === undefined ? {} : { tickScenarioHours: start.definition.sampleEveryMs / start.msPerScenarioHour }),
    ...(recoveryWindowScenarioHours === undefined ? {} : { recoveryWindowScenarioHours }),
    ...(messagesJudged === undefined ? {} : { messagesJudged }),
  };
}

/** The lookup counts over the window measureLookupSuccessAfterRecovery reads. */
function lookupsAfter(events: readonly HistoryEvent[]): { ok: number; all: number } | undefined {
  const recoveredAt = measureRecovery(events).recoveredAt;
  if (recoveredAt === null) return undefined;
  const samples = samplesOf(events);
  const from = samples[Math.max(0, samples.findIndex((s) => s.t >= recoveredAt) - 1)]?.totals;
  const to = samples.at(-1)?.totals;
  if (from === undefined || to === undefined) return undefined;
  const ok = to.lookupsOk - from.lookupsOk;
  return { ok, all: ok + to.lookupsFailed - from.lookupsFailed };
}

function recoveryWindow(events: readonly HistoryEvent[]): number | undefined {
  const faultAt = firstFaultTime(events);
  const hold = runStartOf(events)?.definition.steadyState.hold;
  if (faultAt === undefined) return undefined;
  const end = events.find((event) => event.type === 'phase' && event.phase === 'rollback')?.t ?? events.at(-1)?.t ?? faultAt;
  const holdMs = hold === undefined ? 0 : realMsOf(events, hold);
  return Math.max(0, end - faultAt - holdMs) / msPerScenarioHour(events);
}

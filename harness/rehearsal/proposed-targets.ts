import type { HistoryEvent } from '../observe/history-types.js';
import type { Targets } from '../scenario/types.js';
import { samplesOf } from '../verdict/history-series.js';
import { measureRecovery } from '../verdict/recovery.js';
import type { RunSummary } from '../verdict/verdict-types.js';
import { wilsonInterval } from '../verdict/wilson-interval.js';
import { type Displacement, worstDisplacement } from './displaced-sessions.js';

export interface ProposedTarget {
  readonly key: keyof Targets;
  readonly value: number | string;
  readonly note: string;
}

/** What the history shows beyond the summary, for margins a replay meets with the same system. */
export interface TargetEvidence {
  /** The sessions the worst disconnecting fault displaced (a sampled dip may miss them). */
  readonly displacement?: Displacement;
  /** The lookups counted after the recovery. */
  readonly lookupsAfterRecovery?: { readonly ok: number; readonly all: number };
  /** One sampler tick in scenario hours: a sampled recovery may end one tick later. */
  readonly tickScenarioHours?: number;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;
const floor2 = (value: number): number => Math.floor(value * 100 + 1e-9) / 100;

const safely = <T>(measure: () => T): T | undefined => {
  try {
    return measure();
  } catch {
    return undefined;
  }
};

export function gatherEvidence(events: readonly HistoryEvent[]): TargetEvidence {
  const start = events.find((event) => event.type === 'run-start');
  const displacement = safely(() => worstDisplacement(events));
  const lookupsAfterRecovery = safely(() => lookupsAfter(events));
  return {
    ...(displacement === undefined ? {} : { displacement }),
    ...(lookupsAfterRecovery === undefined ? {} : { lookupsAfterRecovery }),
    ...(start?.type === 'run-start' ? { tickScenarioHours: start.definition.sampleEveryMs / start.msPerScenarioHour } : {}),
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

function availabilityFloor(low: number, displacement: Displacement | undefined): ProposedTarget {
  const measured = `online low point measured ${round2(low)} of steady state`;
  if (displacement === undefined || displacement.fraction >= low) {
    const value = Math.max(0, floor2(low - 0.05));
    return { key: 'availabilityFloor', value, note: `availabilityFloor ${value}: ${measured}, less a 0.05 margin` };
  }
  const value = Math.max(0, floor2(displacement.fraction - 0.05));
  const held = `the ${displacement.sessions} sessions ${displacement.supernodes.join(', ')} held (${round2(displacement.share)}, plus ${round2(displacement.spread)} for how clients spread)`;
  const why = `${displacement.fault} cut ${held}, which a replay's samples may catch before they reconnect (${round2(displacement.fraction)})`;
  return { key: 'availabilityFloor', value, note: `availabilityFloor ${value}: ${measured}, but ${why}, less a 0.05 margin` };
}

function lookupFloor(measured: number, counts: TargetEvidence['lookupsAfterRecovery']): ProposedTarget {
  if (counts === undefined || counts.all === 0) {
    const value = Math.max(0, floor2(measured - 0.02));
    return { key: 'minLookupSuccessAfterRecovery', value, note: `minLookupSuccessAfterRecovery ${value}: lookups after recovery measured ${round2(measured)}, less 0.02` };
  }
  const value = Math.max(0, floor2(Math.min(measured - 0.02, wilsonInterval(counts.ok, counts.all)[0])));
  return {
    key: 'minLookupSuccessAfterRecovery',
    value,
    note: `minLookupSuccessAfterRecovery ${value}: lookups after recovery measured ${round2(measured)} (${counts.ok} of ${counts.all}); the lower end of its 95% Wilson interval, or less 0.02 when that is lower`,
  };
}

/** Targets a replay should meet, from one rehearsal's measured figures, with a margin each. */
export function proposeTargets(summary: RunSummary, evidence: TargetEvidence = {}): ProposedTarget[] {
  const proposed: ProposedTarget[] = [];
  if (summary.minOnlineFraction !== null) proposed.push(availabilityFloor(summary.minOnlineFraction, evidence.displacement));
  if (summary.recovered === true && summary.recoveryScenarioHours !== null) {
    const tick = evidence.tickScenarioHours ?? 0;
    const hours = Math.max(1, Math.ceil((summary.recoveryScenarioHours + tick) * 1.5));
    const plus = tick > 0 ? ' plus one sampler tick' : '';
    proposed.push({ key: 'recoveryWithin', value: `${hours}h`, note: `recoveryWithin ${hours}h: recovery measured ${round2(summary.recoveryScenarioHours)}h (scenario time) after the first fault${plus}, times 1.5, rounded up to whole hours` });
  }
  if (summary.supernodesLostTotal !== null && summary.supernodesEverInNetwork !== null && summary.supernodesEverInNetwork > 0) {
    const share = summary.supernodesLostTotal / summary.supernodesEverInNetwork;
    const value = Math.min(1, round2(share + 0.1));
    proposed.push({ key: 'maxSupernodeLossTotal', value, note: `maxSupernodeLossTotal ${value}: ${summary.supernodesLostTotal} of ${summary.supernodesEverInNetwork} supernodes lost (${round2(share)}), plus 0.1` });
  }
  if (summary.lookupSuccessAfterRecovery !== null) proposed.push(lookupFloor(summary.lookupSuccessAfterRecovery, evidence.lookupsAfterRecovery));
  if (summary.messagesLost !== null) {
    proposed.push({ key: 'maxMessagesLost', value: summary.messagesLost, note: `maxMessagesLost ${summary.messagesLost}: as measured (no message may be lost that was not lost in the rehearsal)` });
  }
  if (proposed.length === 0) {
    proposed.push({ key: 'availabilityFloor', value: 0, note: 'availabilityFloor 0: nothing could be measured in the rehearsal; set real targets by hand' });
  }
  return proposed;
}

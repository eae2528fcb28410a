import type { Targets } from '../scenario/types.js';
import type { RunSummary } from '../verdict/verdict-types.js';
import { wilsonInterval } from '../verdict/wilson-interval.js';
import type { Displacement } from './displaced-sessions.js';
import type { TargetEvidence } from './target-evidence.js';

/**
 * Targets a replay should meet, from one rehearsal's measured figures, each with a margin, and each
 * one a worse system could fail: strictly tighter than the bound every run meets (a floor above 0,
 * a loss share below 1, a recovery shorter than the session leaves for one, fewer messages lost
 * than were sent). Where the margin leaves nothing tighter, or nothing was measured, the target is
 * left out and the reason kept.
 */

export interface ProposedTarget {
  readonly key: keyof Targets;
  readonly value: number | string;
  readonly note: string;
}

export interface LeftOutTarget {
  readonly key: keyof Targets;
  /** A line for the terminal and the scenario's description: "no ... proposed: ...". */
  readonly reason: string;
}

export interface TargetProposal {
  readonly proposed: readonly ProposedTarget[];
  readonly leftOut: readonly LeftOutTarget[];
}

type Proposal = ProposedTarget | LeftOutTarget;

const round2 = (value: number): number => Math.round(value * 100) / 100;
const floor2 = (value: number): number => Math.floor(value * 100 + 1e-9) / 100;
const percent = (fraction: number): string => `${Math.round(fraction * 100)}%`;

export function proposeTargets(summary: RunSummary, evidence: TargetEvidence = {}): TargetProposal {
  const all = [
    availabilityFloor(summary.minOnlineFraction, evidence.displacement),
    recoveryWithin(summary, evidence),
    totalLossBound(summary.supernodesLostTotal, summary.supernodesEverInNetwork),
    lookupFloor(summary.lookupSuccessAfterRecovery, evidence.lookupsAfterRecovery),
    messagesLostBound(summary.messagesLost, evidence.messagesJudged),
  ];
  return {
    proposed: all.filter((one): one is ProposedTarget => 'value' in one),
    leftOut: all.filter((one): one is LeftOutTarget => 'reason' in one),
  };
}

/** A floor of 0 cannot fail: the floor, the low point less 0.05, must stay above it. */
function availabilityFloor(low: number | null, displacement: Displacement | undefined): Proposal {
  const key = 'availabilityFloor';
  if (low === null) return { key, reason: 'no availability floor proposed: the online fraction could not be measured (no steady state or no samples)' };
  const measured = `online low point measured ${round2(low)} of steady state`;
  const cut = displacement !== undefined && displacement.fraction < low;
  const base = cut ? displacement.fraction : low;
  const value = Math.max(0, floor2(base - 0.05));
  if (value <= 0) {
    const lowest = cut
      ? `${displacement.fault} cut the sessions ${displacement.supernodes.join(', ')} held, leaving ${percent(displacement.fraction)} online`
      : `the session's low point was ${percent(low)} online`;
    return { key, reason: `no availability floor proposed: ${lowest}; less the 0.05 margin that leaves a floor of 0, which cannot fail` };
  }
  if (!cut) return { key, value, note: `availabilityFloor ${value}: ${measured}, less a 0.05 margin` };
  const { share, evenShare } = displacement;
  const likely = evenShare > share ? `${round2(share)}, ${round2(evenShare)} were they spread evenly` : `${round2(share)}`;
  const held = `the ${displacement.sessions} sessions ${displacement.supernodes.join(', ')} held (${likely}, plus ${round2(displacement.spread)} for how clients spread)`;
  const why = `${displacement.fault} cut ${held}, which a replay's samples may catch before they reconnect (${round2(displacement.fraction)})`;
  return { key, value, note: `availabilityFloor ${value}: ${measured}, but ${why}, less a 0.05 margin` };
}

/** A bound no shorter than the session leaves for a recovery fails only a network that never recovers, which fails without it. */
function recoveryWithin(summary: RunSummary, evidence: TargetEvidence): Proposal {
  const key = 'recoveryWithin';
  if (summary.recovered === null) return { key, reason: 'no recovery bound proposed: no fault was injected, so no recovery was measured' };
  if (!summary.recovered || summary.recoveryScenarioHours === null) {
    return { key, reason: 'no recovery bound proposed: the session never got back to 95% of steady state, so no bound it meets can be set' };
  }
  const measured = summary.recoveryScenarioHours;
  const tick = evidence.tickScenarioHours ?? 0;
  const hours = Math.max(1, Math.ceil((measured + tick) * 1.5));
  const window = evidence.recoveryWindowScenarioHours;
  if (window !== undefined && hours >= window) {
    return {
      key,
      reason: `no recovery bound proposed: recovery measured ${round2(measured)}h, and with its margin (${hours}h) the bound is no shorter than the ${round2(window)}h the session left for a recovery after its first fault (less the steady-state hold), so only a network that never recovers could fail it`,
    };
  }
  const plus = tick > 0 ? ' plus one sampler tick' : '';
  const within = window === undefined ? '' : `, shorter than the ${round2(window)}h the session left for a recovery`;
  return { key, value: `${hours}h`, note: `recoveryWithin ${hours}h: recovery measured ${round2(measured)}h (scenario time) after the first fault${plus}, times 1.5, rounded up to whole hours${within}` };
}

/** No run loses more than every supernode: the bound, the share lost plus 0.1, must stay below 1. */
function totalLossBound(lost: number | null, everInNetwork: number | null): Proposal {
  const key = 'maxSupernodeLossTotal';
  if (lost === null || everInNetwork === null || everInNetwork <= 0) {
    return { key, reason: 'no total-loss bound proposed: supernode loss could not be measured (no supernode at steady state)' };
  }
  const share = lost / everInNetwork;
  const value = round2(share + 0.1);
  if (value >= 1) {
    return { key, reason: `no total-loss bound proposed: the session lost ${lost} of ${everInNetwork} supernodes (${round2(share)}); plus the 0.1 margin that leaves a bound of 1, which no loss can exceed` };
  }
  return { key, value, note: `maxSupernodeLossTotal ${value}: ${lost} of ${everInNetwork} supernodes lost (${round2(share)}), plus 0.1` };
}

/** A floor of 0 cannot fail: the floor must stay above it. */
function lookupFloor(measured: number | null, counts: TargetEvidence['lookupsAfterRecovery']): Proposal {
  const key = 'minLookupSuccessAfterRecovery';
  if (measured === null) return { key, reason: 'no lookup floor proposed: no lookup was counted after a recovery' };
  const counted = counts !== undefined && counts.all > 0;
  const value = Math.max(0, floor2(counted ? Math.min(measured - 0.02, wilsonInterval(counts.ok, counts.all)[0]) : measured - 0.02));
  const how = counted
    ? `lookups after recovery measured ${round2(measured)} (${counts.ok} of ${counts.all}); the lower end of its 95% Wilson interval, or less 0.02 when that is lower`
    : `lookups after recovery measured ${round2(measured)}, less 0.02`;
  if (value <= 0) return { key, reason: `no lookup floor proposed: ${how}, is a floor of 0, which cannot fail` };
  return { key, value, note: `minLookupSuccessAfterRecovery ${value}: ${how}` };
}

/**
 * The count lost plus two standard deviations of a count of rare losses (2 * sqrt(lost), rounded
 * up): 0 lost stays 0. No run loses more than it sent, so the bound must stay below the messages judged.
 */
function messagesLostBound(lost: number | null, judged: number | undefined): Proposal {
  const key = 'maxMessagesLost';
  if (lost === null) return { key, reason: 'no messages-lost bound proposed: the history has no message ledger' };
  if (judged === undefined) return { key, reason: 'no messages-lost bound proposed: how many messages were sent could not be told' };
  if (judged === 0) return { key, reason: 'no messages-lost bound proposed: no message was sent in the session, so none can be lost' };
  const value = lost + Math.ceil(2 * Math.sqrt(lost));
  const how = `${lost} of ${judged} messages lost, plus 2 * sqrt(${lost}) rounded up`;
  if (value >= judged) return { key, reason: `no messages-lost bound proposed: ${how} is ${value}, no fewer than all ${judged} sent, which no loss can exceed` };
  return { key, value, note: `maxMessagesLost ${value}: ${how}` };
}

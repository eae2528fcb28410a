import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../harness/observe/history-types.js';
import { proposeTargets, type ProposedTarget, type TargetProposal } from '../../../harness/rehearsal/proposed-targets.js';
import { recordSession, writeRecording } from '../../../harness/rehearsal/scenario-recorder.js';
import { gatherEvidence } from '../../../harness/rehearsal/target-evidence.js';
import type { Targets } from '../../../harness/scenario/types.js';
import { runChecker } from '../../../harness/verdict/checker.js';
import { availabilityChecker, messagesLostChecker } from '../../../harness/verdict/target-checks.js';
import type { RunSummary } from '../../../harness/verdict/verdict-types.js';
import { HistoryBuilder } from '../verdict/history-builder.js';

const nothingMeasured: RunSummary = {
  steadyOnlineClients: null, minOnlineFraction: null, supernodesLostDirect: null, supernodesLostTotal: null, supernodesAtSteadyState: null, supernodesEverInNetwork: null,
  cascadeAmplification: null, recovered: null, recoverySeconds: null, recoveryScenarioHours: null, messagesLost: null, lookupSuccessAfterRecovery: null, cascadeContinuedAfterHeal: null, fidelity: [],
};

const proposedOf = (proposal: TargetProposal, key: keyof Targets): ProposedTarget | undefined => proposal.proposed.find((target) => target.key === key);
const reasonFor = (proposal: TargetProposal, key: keyof Targets): string | undefined => proposal.leftOut.find((target) => target.key === key)?.reason;

/** Steady at 1000 online, then this many online from 10 s to 20 s; these ids accepted at 12 s and received at 12.5 s. */
function worseRun(online: number, accepted: readonly string[], received: readonly string[]): HistoryEvent[] {
  const b = new HistoryBuilder('dedicated').steady().fault(10_000, 'trigger', 'inject');
  b.samples(10_000, 20_000, { online });
  b.ledger(12_000, 'fleet-1', { accepted }).ledger(12_500, 'fleet-2', { received });
  return b.phase(20_000, 'rollback').end(20_500).build();
}

describe('availabilityFloor: above 0, or left out', () => {
  it('proposes the low point less 0.05, which a deeper dip fails', () => {
    const proposal = proposeTargets({ ...nothingMeasured, minOnlineFraction: 0.4 });
    const floor = proposedOf(proposal, 'availabilityFloor');
    expect(floor?.value).toBe(0.35);
    expect(runChecker(availabilityChecker(floor?.value as number), worseRun(300, [], [])).outcome).toBe('fail');
    expect(runChecker(availabilityChecker(floor?.value as number), worseRun(400, [], [])).outcome).toBe('pass');
  });

  it('leaves the floor out after a total outage, or when the margin takes it to 0', () => {
    expect(proposedOf(proposeTargets({ ...nothingMeasured, minOnlineFraction: 0 }), 'availabilityFloor')).toBeUndefined();
    expect(reasonFor(proposeTargets({ ...nothingMeasured, minOnlineFraction: 0 }), 'availabilityFloor')).toBe(
      'no availability floor proposed: the session\'s low point was 0% online; less the 0.05 margin that leaves a floor of 0, which cannot fail',
    );
    expect(reasonFor(proposeTargets({ ...nothingMeasured, minOnlineFraction: 0.04 }), 'availabilityFloor')).toContain('low point was 4% online');
    const displacement = { fault: 'crash box', supernodes: ['sn-01'], sessions: 990, share: 0.99, evenShare: 0.5, spread: 0.01, fraction: 0 };
    expect(reasonFor(proposeTargets({ ...nothingMeasured, minOnlineFraction: 0.9 }, { displacement }), 'availabilityFloor')).toBe(
      'no availability floor proposed: crash box cut the sessions sn-01 held, leaving 0% online; less the 0.05 margin that leaves a floor of 0, which cannot fail',
    );
    expect(reasonFor(proposeTargets(nothingMeasured), 'availabilityFloor')).toContain('could not be measured');
  });
});

describe('recoveryWithin: shorter than the session leaves for a recovery, or left out', () => {
  const recovered = { ...nothingMeasured, recovered: true, recoveryScenarioHours: 2 };

  it('proposes the recovery plus a tick, times 1.5, when that is shorter than the window a slower recovery would still fit in', () => {
    const within = proposedOf(proposeTargets(recovered, { tickScenarioHours: 0.5, recoveryWindowScenarioHours: 10 }), 'recoveryWithin');
    expect(within?.value).toBe('4h');
    expect(within?.note).toContain('shorter than the 10h the session left for a recovery');
  });

  it('leaves the bound out when it reaches the end of the session, or nothing recovered', () => {
    const tooLong = proposeTargets(recovered, { tickScenarioHours: 0.5, recoveryWindowScenarioHours: 4 });
    expect(proposedOf(tooLong, 'recoveryWithin')).toBeUndefined();
    expect(reasonFor(tooLong, 'recoveryWithin')).toBe(
      'no recovery bound proposed: recovery measured 2h, and with its margin (4h) the bound is no shorter than the 4h the session left for a recovery after its first fault (less the steady-state hold), so only a network that never recovers could fail it',
    );
    expect(reasonFor(proposeTargets({ ...nothingMeasured, recovered: false }), 'recoveryWithin')).toContain('never got back to 95% of steady state');
    expect(reasonFor(proposeTargets(nothingMeasured), 'recoveryWithin')).toContain('no fault was injected');
  });
});

describe('maxSupernodeLossTotal: below 1, or left out', () => {
  it('proposes the share lost plus 0.1, which losing every supernode fails', () => {
    const bound = proposedOf(proposeTargets({ ...nothingMeasured, supernodesLostTotal: 3, supernodesEverInNetwork: 10 }), 'maxSupernodeLossTotal');
    expect(bound?.value).toBe(0.4);
    expect(bound?.value).toBeLessThan(1);
    expect(proposedOf(proposeTargets({ ...nothingMeasured, supernodesLostTotal: 8, supernodesEverInNetwork: 10 }), 'maxSupernodeLossTotal')?.value).toBe(0.9);
  });

  it('leaves the bound out when the margin takes it to 1', () => {
    const proposal = proposeTargets({ ...nothingMeasured, supernodesLostTotal: 9, supernodesEverInNetwork: 10 });
    expect(proposedOf(proposal, 'maxSupernodeLossTotal')).toBeUndefined();
    expect(reasonFor(proposal, 'maxSupernodeLossTotal')).toBe(
      'no total-loss bound proposed: the session lost 9 of 10 supernodes (0.9); plus the 0.1 margin that leaves a bound of 1, which no loss can exceed',
    );
    expect(reasonFor(proposeTargets({ ...nothingMeasured, supernodesLostTotal: 0, supernodesEverInNetwork: 0 }), 'maxSupernodeLossTotal')).toContain('could not be measured');
  });
});

describe('minLookupSuccessAfterRecovery: above 0, or left out', () => {
  it('proposes a floor above 0, which a worse lookup rate fails', () => {
    const floor = proposedOf(proposeTargets({ ...nothingMeasured, lookupSuccessAfterRecovery: 0.5 }, { lookupsAfterRecovery: { ok: 500, all: 1_000 } }), 'minLookupSuccessAfterRecovery');
    expect(floor?.value).toBe(0.46);
  });

  it('leaves the floor out when it comes to 0', () => {
    const proposal = proposeTargets({ ...nothingMeasured, lookupSuccessAfterRecovery: 0.02 }, { lookupsAfterRecovery: { ok: 1, all: 50 } });
    expect(proposedOf(proposal, 'minLookupSuccessAfterRecovery')).toBeUndefined();
    expect(reasonFor(proposal, 'minLookupSuccessAfterRecovery')).toBe(
      'no lookup floor proposed: lookups after recovery measured 0.02 (1 of 50); the lower end of its 95% Wilson interval, or less 0.02 when that is lower, is a floor of 0, which cannot fail',
    );
    expect(reasonFor(proposeTargets(nothingMeasured), 'minLookupSuccessAfterRecovery')).toContain('no lookup was counted after a recovery');
  });
});

describe('maxMessagesLost: fewer than all sent, with headroom, or left out', () => {
  it('proposes the count lost plus 2 * sqrt of it, which losing more fails', () => {
    const none = proposedOf(proposeTargets({ ...nothingMeasured, messagesLost: 0 }, { messagesJudged: 100 }), 'maxMessagesLost');
    expect(none?.value).toBe(0);
    const bound = proposedOf(proposeTargets({ ...nothingMeasured, messagesLost: 4 }, { messagesJudged: 100 }), 'maxMessagesLost');
    expect(bound).toEqual({ key: 'maxMessagesLost', value: 8, note: 'maxMessagesLost 8: 4 of 100 messages lost, plus 2 * sqrt(4) rounded up' });
    const ids = Array.from({ length: 20 }, (_, i) => `m-${i}`);
    expect(runChecker(messagesLostChecker(8), worseRun(1_000, ids, ids.slice(0, 11))).outcome).toBe('fail');
    expect(runChecker(messagesLostChecker(8), worseRun(1_000, ids, ids.slice(0, 16))).outcome).toBe('pass');
  });

  it('leaves the bound out when no message was sent, or the headroom reaches all of them', () => {
    expect(reasonFor(proposeTargets({ ...nothingMeasured, messagesLost: 0 }, { messagesJudged: 0 }), 'maxMessagesLost')).toBe(
      'no messages-lost bound proposed: no message was sent in the session, so none can be lost',
    );
    expect(reasonFor(proposeTargets({ ...nothingMeasured, messagesLost: 8 }, { messagesJudged: 10 }), 'maxMessagesLost')).toBe(
      'no messages-lost bound proposed: 8 of 10 messages lost, plus 2 * sqrt(8) rounded up is 14, no fewer than all 10 sent, which no loss can exceed',
    );
    expect(reasonFor(proposeTargets(nothingMeasured), 'maxMessagesLost')).toContain('no message ledger');
  });
});

describe('a recording of a session with degenerate measurements', () => {
  /** Online falls to 0 at 12 s after a fault and never comes back; one message sent, one received. */
  function totalOutage(): HistoryEvent[] {
    const b = new HistoryBuilder('dedicated').steady().fault(10_000, 'trigger', 'inject');
    b.samples(10_000, 30_000, (t) => ({ online: t < 12_000 ? 1_000 : 0, ok: t < 12_000 ? 100 : 0, failed: t < 12_000 ? 0 : 100 }));
    b.ledger(11_000, 'fleet-1', { accepted: ['m-1'] }).ledger(11_500, 'fleet-2', { received: ['m-1'] });
    return b.phase(30_000, 'rollback').end(30_500).build();
  }

  it('reads the recovery window and the messages judged from the history', () => {
    // From the fault at 10 s to the end of the timeline at 30 s, less the 2h steady-state hold, at a scenario hour a second.
    expect(gatherEvidence(totalOutage())).toMatchObject({ recoveryWindowScenarioHours: 18, messagesJudged: 1, tickScenarioHours: 0.5 });
  });

  it('leaves those targets out, says why in the description and on the terminal, and keeps the rest', async () => {
    const { scenario, leftOut } = recordSession(totalOutage());
    const targets = scenario.architectures.dedicated?.targets ?? {};
    expect(Object.keys(targets)).toEqual(['maxSupernodeLossTotal', 'maxMessagesLost']);
    expect(leftOut.map((target) => target.key)).toEqual(['availabilityFloor', 'recoveryWithin', 'minLookupSuccessAfterRecovery']);
    expect(scenario.description).toContain(
      'Left out, as no value the session meets could fail: no availability floor proposed: the session\'s low point was 0% online; less the 0.05 margin that leaves a floor of 0, which cannot fail;',
    );
    const lines: string[] = [];
    await writeRecording(totalOutage(), '/dev/null', (line) => lines.push(line));
    expect(lines).toContain('no availability floor proposed: the session\'s low point was 0% online; less the 0.05 margin that leaves a floor of 0, which cannot fail');
  });

  it('refuses to record when no target could fail, and says each reason', async () => {
    // No supernode in the network and no message ledger: neither can be bounded; online at 0 after the steady state.
    const b = new HistoryBuilder('dedicated').phase(0, 'deploying').phase(1_000, 'steady-state');
    b.samples(1_000, 10_000, { online: 1_000, supernodes: 0, serving: 0 }).phase(10_000, 'timeline');
    b.samples(10_000, 30_000, { online: 0, supernodes: 0, serving: 0 });
    const events = b.phase(30_000, 'rollback').end(30_500).build();
    expect(() => recordSession(events)).toThrow(/no target a worse system could fail can be proposed/);
    const lines: string[] = [];
    expect(await writeRecording(events, '/dev/null', (line) => lines.push(line))).toBeUndefined();
    expect(lines[0]).toMatch(/^could not record the session: no target/);
    expect(lines.slice(1).every((line) => line.startsWith('no '))).toBe(true);
    expect(lines).toHaveLength(6);
  });
});

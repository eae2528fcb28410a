import { describe, expect, it } from 'vitest';
import type { HistoryEvent, NodeObservation } from '../../../harness/observe/history-types.js';
import { worstDisplacement } from '../../../harness/rehearsal/displaced-sessions.js';
import { proposeTargets } from '../../../harness/rehearsal/proposed-targets.js';
import { gatherEvidence } from '../../../harness/rehearsal/target-evidence.js';
import { judgeRun } from '../../../harness/verdict/judge-run.js';
import { HistoryBuilder } from '../verdict/history-builder.js';

const holding = (sessions: number): NodeObservation => ({ role: 'supernode', up: true, ready: true, state: 'serving', mode: 'dedicated', sessions });

/** Steady at 1000 online over sn-01 (600 sessions) and sn-02 (400); sn-01 crashed at 12 s, its clients back on sn-02 before the next sample. */
function crashUnseenBySamples(): HistoryEvent[] {
  const b = new HistoryBuilder('dedicated').phase(0, 'deploying').phase(1_000, 'steady-state');
  b.samples(1_000, 12_001, { online: 1_000, nodes: { 'sn-01': holding(600), 'sn-02': holding(400) } });
  b.samples(12_500, 20_000, { online: 1_000, ok: 50, failed: 0, nodes: { 'sn-02': holding(1_000) } });
  const events = b.phase(20_000, 'rollback').end(20_500).build();
  const crash: HistoryEvent = { t: 12_100, type: 'fault', id: 'box', action: 'inject', kind: 'crash', targets: ['sn-01'] };
  const cut: HistoryEvent = { t: 15_000, type: 'fault', id: 'cut-1', action: 'inject', kind: 'cut', targets: ['run1.supernodes->sn-02'] };
  const latency: HistoryEvent = { t: 16_000, type: 'fault', id: 'slow', action: 'inject', kind: 'latency', targets: ['run1.clients->sn-02'] };
  return [...events.slice(0, 2), { t: 10_000, type: 'phase', phase: 'timeline' } as HistoryEvent, ...events.slice(2), crash, cut, latency].sort((a, c) => a.t - c.t);
}

describe('targets proposed from a rehearsal', () => {
  it('bounds the availability floor by the sessions a disconnecting fault cut, which the samples may have missed', () => {
    const events = crashUnseenBySamples();
    // The cut of an overlay link and a latency toxic displace no client session: only the crash counts.
    // 600 of 1000 clients on the victim (more than the even 0.5); a replay's draw may differ from this one's by
    // 3 standard deviations of the difference of two draws: 3 * sqrt(2) * sqrt(0.6 * 0.4 / 1000) = 0.066.
    const displaced = worstDisplacement(events);
    expect(displaced).toMatchObject({ fault: 'crash box', supernodes: ['sn-01'], sessions: 600, share: 0.6, evenShare: 0.5 });
    expect(displaced?.spread).toBeCloseTo(0.0657, 4);
    expect(displaced?.fraction).toBeCloseTo(0.334, 3);
    const floor = proposeTargets(judgeRun(events).summary, gatherEvidence(events)).proposed.find((target) => target.key === 'availabilityFloor');
    expect(floor?.value).toBe(0.28);
    expect(floor?.note).toBe(
      'availabilityFloor 0.28: online low point measured 1 of steady state, but crash box cut the 600 sessions sn-01 held (0.6, plus 0.07 for how clients spread), which a replay\'s samples may catch before they reconnect (0.33), less a 0.05 margin',
    );
  });

  it('takes the even share when the victims held fewer sessions than that: a replay draws the spread anew', () => {
    const b = new HistoryBuilder('dedicated').phase(0, 'deploying').phase(1_000, 'steady-state');
    b.samples(1_000, 12_001, { online: 100, nodes: { 'sn-01': holding(80), 'sn-02': holding(20) } });
    b.samples(12_500, 20_000, { online: 100, ok: 50, failed: 0, nodes: { 'sn-01': holding(100) } });
    const events = [...b.phase(20_000, 'rollback').end(20_500).build(), { t: 12_100, type: 'fault', id: 'box', action: 'inject', kind: 'crash', targets: ['sn-02'] } as HistoryEvent];
    events.splice(2, 0, { t: 10_000, type: 'phase', phase: 'timeline' } as HistoryEvent);
    events.sort((a, c) => a.t - c.t);
    // 20 of 100 on the victim, but one of two supernodes holds half the clients when they spread evenly:
    // 0.5 + 3 * sqrt(2) * sqrt(0.25 / 100) = 0.712, leaving 0.288 online.
    const displaced = worstDisplacement(events);
    expect(displaced).toMatchObject({ sessions: 20, share: 0.2, evenShare: 0.5 });
    expect(displaced?.fraction).toBeCloseTo(0.288, 3);
    const floor = proposeTargets(judgeRun(events).summary, gatherEvidence(events)).proposed.find((target) => target.key === 'availabilityFloor');
    expect(floor?.value).toBe(0.23);
    expect(floor?.note).toContain('the 20 sessions sn-02 held (0.2, 0.5 were they spread evenly, plus 0.21 for how clients spread)');
  });

  it('reads the sessions at the sample before the operator gave the step, not before the slow kill was recorded', () => {
    const b = new HistoryBuilder('dedicated').phase(0, 'deploying').phase(1_000, 'steady-state');
    b.samples(1_000, 10_000, { online: 1_000, nodes: { 'sn-01': holding(600), 'sn-02': holding(400) } });
    b.phase(10_000, 'timeline').samples(10_000, 12_001, { online: 1_000, nodes: { 'sn-01': holding(600), 'sn-02': holding(400) } });
    b.samples(12_500, 20_000, { online: 1_000, nodes: { 'sn-01': { role: 'supernode', up: false, ready: false }, 'sn-02': holding(1_000) } });
    const crash = { do: 'crash', id: 'box', target: { nodes: { group: 'supernodes', count: 1 } } };
    const fault: HistoryEvent = { t: 13_600, type: 'fault', id: 'box', action: 'inject', kind: 'crash', targets: ['sn-01'] };
    const command: HistoryEvent = { t: 13_600, type: 'command', source: 'prompt', text: 'crash supernodes 1 as box', outcome: 'done', offsetMs: 2_100, action: crash };
    const events = [...b.phase(20_000, 'rollback').end(20_500).build(), fault, command].sort((a, c) => a.t - c.t);
    expect(worstDisplacement(events)).toMatchObject({ sessions: 600, share: 0.6 });

    // A run's history has no command: the fault's own start says where to read; without one (an older history), where it was recorded.
    const withoutCommand = events.filter((event) => event.type !== 'command');
    const started = withoutCommand.map((event) => (event === fault ? { ...fault, startedT: 12_100 } : event));
    expect(worstDisplacement(started)).toMatchObject({ sessions: 600, share: 0.6 });
    expect(worstDisplacement(withoutCommand)).toBeUndefined();
  });

  it('keeps the lookup floor below the lower end of the Wilson interval of the lookups counted, and the recovery one tick longer', () => {
    const summary = { ...judgeRun(crashUnseenBySamples()).summary, recovered: true, recoveryScenarioHours: 2, lookupSuccessAfterRecovery: 1 };
    const targets = proposeTargets(summary, { lookupsAfterRecovery: { ok: 40, all: 40 }, tickScenarioHours: 0.5 }).proposed;
    const lookups = targets.find((target) => target.key === 'minLookupSuccessAfterRecovery');
    expect(lookups?.value).toBe(0.91);
    expect(lookups?.note).toContain('(40 of 40); the lower end of its 95% Wilson interval');
    expect(targets.find((target) => target.key === 'recoveryWithin')?.value).toBe('4h');
    // Thousands of lookups: the Wilson bound is above measured - 0.02, which stays the floor.
    expect(proposeTargets(summary, { lookupsAfterRecovery: { ok: 9_990, all: 10_000 } }).proposed.find((target) => target.key === 'minLookupSuccessAfterRecovery')?.value).toBe(0.98);
  });
});

import { describe, expect, it } from 'vitest';
import { realMsOf } from '../../../harness/verdict/history-series.js';
import type { HistoryEvent } from '../../../harness/observe/history-types.js';
import { measureOnlineLowPoint } from '../../../harness/verdict/availability.js';
import { measureCascadeAfterHeal } from '../../../harness/verdict/cascade-after-heal.js';
import { checker, runChecker, type Checker, type Judgement } from '../../../harness/verdict/checker.js';
import type { TargetResult } from '../../../harness/verdict/verdict-types.js';
import { firstFaultTime, lookupSuccessSeries, samplesOf, steadyBaseline, triggerHealedTime } from '../../../harness/verdict/history-series.js';
import { measureLookupSuccessAfterRecovery } from '../../../harness/verdict/lookup-after-recovery.js';
import { measureRecovery } from '../../../harness/verdict/recovery.js';
import { measureSupernodeLoss } from '../../../harness/verdict/supernode-loss.js';
import {
  amplificationChecker,
  availabilityChecker,
  directLossChecker,
  lookupAfterRecoveryChecker,
  messagesLostChecker,
  recoveryChecker,
  totalLossChecker,
} from '../../../harness/verdict/target-checks.js';
import { HistoryBuilder, dedicatedHistory, p2pOutageHistory } from './history-builder.js';

const p2p = p2pOutageHistory();
const dedicated = dedicatedHistory();

describe('derived series', () => {
  it('takes the steady baseline over the last hold of the steady-state phase', () => {
    const events = new HistoryBuilder('p2p')
      .phase(1_000, 'steady-state')
      .samples(1_000, 6_000, (t) => ({ online: t < 4_000 ? 500 : 900, ok: t < 4_000 ? 50 : 95, failed: t < 4_000 ? 50 : 5 }))
      .phase(6_000, 'timeline')
      .build();
    const baseline = steadyBaseline(events);
    expect([baseline.from, baseline.to, baseline.samples]).toEqual([3_500, 5_500, 5]);
    expect(baseline.onlineClients).toBeCloseTo((500 + 4 * 900) / 5, 9);
    expect(baseline.lookupSuccess).toBeCloseTo((50 + 4 * 95) / 500, 9);
    expect(baseline.supernodes).toBe(10);
  });

  it('finds the first fault, the trigger heal and per-interval lookup success', () => {
    expect(firstFaultTime(p2p)).toBe(10_000);
    expect(triggerHealedTime(p2p)).toBe(12_000);
    const series = lookupSuccessSeries(samplesOf(p2p));
    expect(series[0]).toBeUndefined();
    expect(series.at(-1)).toBe(1);
    expect(series[samplesOf(p2p).findIndex((s) => s.t === 12_000)]).toBe(0.2);
  });

  it('leaves lookup success undefined for an interval without lookups', () => {
    const events = new HistoryBuilder('p2p').sample(0, { online: 1, ok: 0 }).sample(500, { online: 1, ok: 0 }).build();
    expect(lookupSuccessSeries(samplesOf(events))).toEqual([undefined, undefined]);
  });
});

describe('recovery time', () => {
  it('measures from the first fault to the start of the held recovery', () => {
    const recovery = measureRecovery(dedicated);
    expect(recovery).toEqual({ faultAt: 10_000, recoveredAt: 14_500, recoveryMs: 4_500, recoveryScenarioHours: 4.5, holdMs: 1_000 });
    expect(recoveryChecker('10h')(dedicated)).toMatchObject({ name: 'recovery time', target: '<= 10h', measured: 4.5, outcome: 'pass', pass: true });
    expect(recoveryChecker('4h')(dedicated).outcome).toBe('fail');
  });

  it('states the measured time in scenario hours, the unit of the target, whatever the time scale', () => {
    const slower = dedicated.map((e) => (e.type === 'run-start' ? { ...e, msPerScenarioHour: 2_000 } : e));
    expect(recoveryChecker('10h')(slower)).toMatchObject({ target: '<= 10h', measured: 2.25, outcome: 'pass' });
    expect(recoveryChecker('10h')(slower).detail).toMatch(/^4\.5s real = 2\.25 scenario hours/);
  });

  it('needs lookups back too, and does not take the calm before a delayed collapse for a recovery', () => {
    expect(measureRecovery(p2p).recoveredAt).toBe(25_000);
    const delayed = new HistoryBuilder('dedicated')
      .steady()
      .fault(10_000, 'trigger', 'inject')
      .samples(10_000, 20_000, (t) => ({ online: t < 13_000 || t >= 16_000 ? 1_000 : 300 }))
      .build();
    expect(measureRecovery(delayed).recoveredAt).toBe(16_000);
  });

  it('does not take a held good stretch before the low point for the recovery', () => {
    const twoDips = new HistoryBuilder('dedicated', { targets: { recoveryHold: '1h' } })
      .steady()
      .fault(10_000, 'trigger', 'inject')
      .samples(10_000, 20_000, (t) => ({ online: t < 12_000 ? 500 : t < 13_500 ? 1_000 : t < 16_000 ? 100 : 1_000 }))
      .build();
    expect(measureRecovery(twoDips)).toMatchObject({ recoveredAt: 16_000, holdMs: 1_000 });
  });

  it('holds the steady-state hypothesis hold when the architecture states no recovery hold', () => {
    const unstated = new HistoryBuilder('dedicated', { targets: {} }).steady().fault(10_000, 'x', 'inject').samples(10_000, 15_000, { online: 1_000 }).build();
    const start = unstated.find((e) => e.type === 'run-start');
    const hold = start?.type === 'run-start' ? start.definition.steadyState.hold : undefined;
    expect(hold).toBeDefined();
    expect(measureRecovery(unstated).holdMs).toBe(realMsOf(unstated, hold ?? '0h'));
  });

  it('fails when it never recovers and is unknown without a fault', () => {
    const never = new HistoryBuilder('dedicated').steady().fault(10_000, 'x', 'inject').samples(10_000, 15_000, { online: 100 }).build();
    expect(measureRecovery(never).recoveryMs).toBeNull();
    expect(recoveryChecker('10h')(never)).toMatchObject({ measured: null, outcome: 'fail' });
    const noFault = new HistoryBuilder('dedicated').steady().build();
    expect(recoveryChecker('10h')(noFault)).toMatchObject({ outcome: 'unknown', detail: 'could not be measured: no fault was injected, so there is nothing to recover from' });
  });
});

describe('availability floor', () => {
  it('takes the lowest online fraction of steady state after the first fault', () => {
    expect(measureOnlineLowPoint(p2p)).toEqual({ min: 0.1, at: 15_000 });
    expect(availabilityChecker(0.7)(dedicated)).toMatchObject({ measured: 0.8, outcome: 'pass' });
    expect(availabilityChecker(0.7)(p2p)).toMatchObject({ measured: 0.1, outcome: 'fail' });
  });

  it('skips a sample whose fleets the harness could not read, rather than reading it as nobody online', () => {
    const blind = new HistoryBuilder('dedicated')
      .steady()
      .fault(10_000, 'f', 'inject')
      .samples(10_000, 14_000, { online: 900 })
      .sample(14_000, { online: 0, unread: 3 })
      .samples(14_500, 20_000, { online: 950 })
      .end(20_000)
      .build();
    expect(samplesOf(blind).some((s) => s.t === 14_000)).toBe(false);
    expect(availabilityChecker(0.7)(blind)).toMatchObject({ measured: 0.9, outcome: 'pass' });
  });
});

describe('supernode loss and cascade amplification', () => {
  it('separates direct losses from the self-protection cascade and ignores clean stops at teardown', () => {
    const loss = measureSupernodeLoss(p2p);
    expect(loss.direct).toEqual(['sn-0', 'sn-1', 'sn-2']);
    expect(loss.total).toHaveLength(9);
    expect([loss.atSteadyState, loss.directShare, loss.totalShare, loss.amplification]).toEqual([10, 0.3, 0.9, 3]);
    expect(directLossChecker(0)(p2p)).toMatchObject({ measured: 0.3, outcome: 'fail', detail: '3 lost directly, 9 in total, of 10 at steady state' });
    expect(totalLossChecker(0.95)(p2p).outcome).toBe('pass');
    expect(amplificationChecker(2)(p2p)).toMatchObject({ measured: 3, outcome: 'fail' });
  });

  it('counts a supernode once however often it goes down, and kills by the harness as direct', () => {
    const events = new HistoryBuilder('p2p').steady().down(11_000, 'sn-0', 'killed').down(12_000, 'sn-0', 'self-protection').down(12_000, 'sn-1', 'fault').build();
    const loss = measureSupernodeLoss(events);
    expect([loss.direct.length, loss.total.length, loss.amplification]).toEqual([2, 2, 1]);
  });

  it('has no amplification without direct losses: a pass when nothing was lost, a fail when all loss is cascade', () => {
    expect(measureSupernodeLoss(dedicated).amplification).toBeNull();
    expect(amplificationChecker(1.5)(dedicated)).toMatchObject({ measured: null, outcome: 'pass', detail: 'no supernode lost' });
    const cascadeOnly = new HistoryBuilder('p2p').steady().down(11_000, 'sn-0', 'self-protection').build();
    expect(amplificationChecker(1.5)(cascadeOnly).outcome).toBe('fail');
  });
});

describe('lookup success after recovery', () => {
  it('is measured from the recovery to the end', () => {
    expect(measureLookupSuccessAfterRecovery(p2p, measureRecovery(p2p))).toBe(1);
    expect(lookupAfterRecoveryChecker(0.97)(dedicated)).toMatchObject({ measured: 0.99, outcome: 'pass' });
    expect(lookupAfterRecoveryChecker(0.995)(dedicated).outcome).toBe('fail');
  });

  it('fails when the run never recovered', () => {
    const never = new HistoryBuilder('dedicated').steady().fault(10_000, 'x', 'inject').samples(10_000, 15_000, { online: 100 }).build();
    expect(lookupAfterRecoveryChecker(0.9)(never)).toMatchObject({ measured: null, outcome: 'fail', detail: 'never recovered' });
  });
});

describe('cascade after heal', () => {
  it('sees self-protection shutdowns after the trigger was healed', () => {
    // The history samples no node loads: each episode is dated at its exit.
    const exits = ['sn-3', 'sn-4', 'sn-5', 'sn-6', 'sn-7', 'sn-8'].map((node, i) => ({ node, exitAt: 13_000 + i * 500, episodeStartedAt: 13_000 + i * 500 }));
    expect(measureCascadeAfterHeal(p2p)).toEqual({ healedAt: 12_000, continued: true, selfProtectedAfterHeal: exits, carriedOverHeal: [] });
    expect(measureCascadeAfterHeal(dedicated)).toEqual({ healedAt: 12_000, continued: false, selfProtectedAfterHeal: [], carriedOverHeal: [] });
  });
});

describe('a crashing checker', () => {
  it('keeps its name and target whatever the judge throws or returns', () => {
    const thrown = checker('odd', '<= 2', () => {
      throw 'not an Error';
    });
    expect(thrown([])).toMatchObject({ name: 'odd', target: '<= 2', outcome: 'unknown', detail: 'could not be measured: not an Error' });
    const empty = checker('empty', 'yes', () => undefined as unknown as Judgement);
    expect(empty([])).toMatchObject({ name: 'empty', target: 'yes', measured: null, outcome: 'unknown', pass: false });
    expect([thrown.targetName, thrown.target]).toEqual(['odd', '<= 2']);
  });

  it('run by runChecker, names even a hand-written checker that throws after the helper', () => {
    const named = Object.assign(
      (): TargetResult => {
        throw new RangeError('out of range');
      },
      { targetName: 'hand-written', target: '>= 3' },
    );
    expect(runChecker(named, [])).toEqual({ name: 'hand-written', target: '>= 3', measured: null, outcome: 'unknown', pass: false, detail: 'could not be measured: out of range' });
    const bare: Checker = function bareCheck(): TargetResult {
      throw new Error('boom');
    };
    expect(runChecker(bare, [])).toMatchObject({ name: 'bareCheck', target: '-', outcome: 'unknown', detail: 'could not be measured: boom' });
  });

  it('yields unknown with the error, never a throw', () => {
    const broken = checker('broken', '>= 1', () => {
      throw new TypeError('cannot read properties of undefined');
    });
    expect(broken([])).toEqual({
      name: 'broken',
      target: '>= 1',
      measured: null,
      outcome: 'unknown',
      pass: false,
      detail: 'could not be measured: cannot read properties of undefined',
    });
  });

  it('every target checker returns unknown on a history without samples', () => {
    const empty: HistoryEvent[] = new HistoryBuilder('dedicated').fault(10, 'x', 'inject').build();
    const results = [recoveryChecker('1h'), availabilityChecker(0.5), directLossChecker(0), lookupAfterRecoveryChecker(0.5), messagesLostChecker(0)].map((check) => check(empty));
    expect(results.map((r) => r.outcome)).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'unknown']);
  });
});

import { describe, expect, it } from 'vitest';
import { aggregateControlRuns, judgeControlRun } from '../../../harness/controls/judge-control.js';
import { TARGET_CHECK_NAMES, checkNameOf } from '../../../harness/controls/target-check-names.js';
import { TARGET_KEYS } from '../../../harness/scenario/stated-targets.js';
import { HarnessTargets } from '../../../harness/verdict/judge-run.js';
import { outageCheckers, targetCheckers } from '../../../harness/verdict/target-checks.js';
import { target, verdict } from './control-fixtures.js';

const broken = [target('recovery time', null, 'fail', '<= 10h'), target('availability floor', 0.41, 'fail', '>= 0.70')];

describe('target check names', () => {
  it('names every target key, as the verdict names its target', () => {
    expect(Object.keys(TARGET_CHECK_NAMES).sort()).toEqual([...TARGET_KEYS].sort());
    const built = [
      ...targetCheckers({ recoveryWithin: '10h', availabilityFloor: 0.7, maxSupernodeLossDirect: 0.1, maxSupernodeLossTotal: 0.2, maxCascadeAmplification: 2, minLookupSuccessAfterRecovery: 0.9, maxMessagesLost: 0, rehomeWithin: '3h' }),
      ...outageCheckers({ supernodeLossDirect: { min: 0.2, max: 0.3 }, minCascadeAmplification: 1.5, maxOnlineLowPoint: 0.3, cascadeContinuesAfterHeal: true, maxOnlineAfterLowPoint: 0.5, maxMeanOnline: 0.6 }),
    ].map((check) => check.targetName);
    const keys = TARGET_KEYS.filter((key) => key !== 'steadyState');
    expect(keys.map(checkNameOf).sort()).toEqual([...built].sort());
    expect(checkNameOf('steadyState')).toBe(HarnessTargets.steadyState);
  });
});

describe('judgeControlRun', () => {
  it('is caught when the verdict failed, the harness delivered its load and every target it must break failed', () => {
    const judged = judgeControlRun(verdict(broken), ['recoveryWithin', 'availabilityFloor']);
    expect(judged.outcome).toBe('caught');
    expect(judged.targets).toEqual([
      { key: 'recoveryWithin', name: 'recovery time', wanted: '<= 10h', measured: null, outcome: 'fail' },
      { key: 'availabilityFloor', name: 'availability floor', wanted: '>= 0.70', measured: 0.41, outcome: 'fail' },
    ]);
    expect(judged.reason).toBe('broke recovery time — (wanted <= 10h), availability floor 0.41 (wanted >= 0.70)');
  });

  it('is missed when a target it must break held, or when the verdict passed', () => {
    const held = judgeControlRun(verdict([target('recovery time', 2.5, 'pass', '<= 10h'), broken[1]!]), ['recoveryWithin', 'availabilityFloor']);
    expect(held.outcome).toBe('missed');
    expect(held.reason).toBe('held recovery time 2.5 (wanted <= 10h)');
    const passed = judgeControlRun(verdict([target('recovery time', 2.5, 'pass')]), ['recoveryWithin']);
    expect(passed).toMatchObject({ outcome: 'missed', verdict: 'pass' });
  });

  it('is missed when the verdict failed on another target only', () => {
    const judged = judgeControlRun(verdict([target('messages lost', 3, 'fail'), target('recovery time', 2.5, 'pass')]), ['recoveryWithin']);
    expect(judged.outcome).toBe('missed');
  });

  it('is unknown on a saturated harness, even with every target broken', () => {
    const judged = judgeControlRun(verdict(broken, { saturated: true, verdict: 'fail' }), ['recoveryWithin', 'availabilityFloor']);
    expect(judged).toMatchObject({ outcome: 'unknown', saturated: true, reason: 'harness saturated' });
  });

  it('is unknown when the verdict is unknown, a target it must break is unknown, or absent from the verdict', () => {
    expect(judgeControlRun(verdict(broken, { verdict: 'unknown' }), ['recoveryWithin']).outcome).toBe('unknown');
    const unclear = judgeControlRun(verdict([broken[0]!, target('availability floor', null, 'unknown', '>= 0.70')]), ['recoveryWithin', 'availabilityFloor']);
    expect(unclear).toMatchObject({ outcome: 'unknown', verdict: 'fail' });
    const absent = judgeControlRun(verdict(broken), ['recoveryWithin', 'rehomeWithin']);
    expect(absent.outcome).toBe('unknown');
    expect(absent.targets[1]).toEqual({ key: 'rehomeWithin', name: 'crashed box re-homed', wanted: null, measured: null, outcome: 'absent' });
    expect(absent.reason).toBe('crashed box re-homed absent from the verdict');
  });

  it('is unknown when the run left no verdict for its architecture', () => {
    expect(judgeControlRun(undefined, ['recoveryWithin'])).toMatchObject({ outcome: 'unknown', verdict: null, targets: [{ outcome: 'absent' }] });
  });

  it('judges the steady state by its own target', () => {
    const missed = verdict([target(HarnessTargets.steadyState, 'not reached', 'fail', 'within 20h')]);
    expect(judgeControlRun(missed, ['steadyState']).outcome).toBe('caught');
  });
});

describe('aggregateControlRuns', () => {
  const runs = (...outcomes: ('caught' | 'missed' | 'unknown')[]) => outcomes.map((outcome) => ({ outcome }));

  it('is caught only when every run asked for was caught', () => {
    expect(aggregateControlRuns(runs('caught', 'caught', 'caught'), 3)).toEqual({ outcome: 'caught', caught: 3 });
    expect(aggregateControlRuns(runs('caught', 'caught'), 3)).toEqual({ outcome: 'unknown', caught: 2 });
    expect(aggregateControlRuns([], 1)).toEqual({ outcome: 'unknown', caught: 0 });
  });

  it('is missed when any run missed, whatever the others', () => {
    expect(aggregateControlRuns(runs('caught', 'unknown', 'missed'), 3)).toEqual({ outcome: 'missed', caught: 1 });
    expect(aggregateControlRuns(runs('missed'), 3)).toEqual({ outcome: 'missed', caught: 0 });
  });

  it('is unknown when no run missed and any is unknown', () => {
    expect(aggregateControlRuns(runs('caught', 'unknown', 'caught'), 3)).toEqual({ outcome: 'unknown', caught: 2 });
  });
});

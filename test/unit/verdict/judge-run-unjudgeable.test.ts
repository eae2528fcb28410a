import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../harness/observe/history-types.js';
import { judgeRun } from '../../../harness/verdict/judge-run.js';
import { HistoryBuilder, dedicatedHistory, dedicatedRunHistory as dedicatedRun, fleetAt } from './history-builder.js';

/** An outage that did not happen, judged as p2p: every outage target fails. `madeShare` of the fleet's scheduled attempts were made. */
const calmP2p = (madeShare: number): HistoryEvent[] =>
  new HistoryBuilder('p2p')
    .steady()
    .fault(10_000, 'trigger', 'inject')
    .fault(12_000, 'trigger', 'heal')
    .samples(10_000, 20_000, (t) => {
      const scheduled = ((t - 10_000) / 500) * 50;
      return { online: 950, nodes: { 'fleet-1': fleetAt(scheduled, Math.round(scheduled * madeShare)) } };
    })
    .end(20_000)
    .build();

const withoutRunEnd = (events: readonly HistoryEvent[]): HistoryEvent[] => events.filter((e) => e.type !== 'run-end');

/** Every timeline sample of the history arrives a whole period late. */
const lateTicks = (events: readonly HistoryEvent[]): HistoryEvent[] => events.map((e) => (e.type === 'sample' && e.t >= 10_000 ? { ...e, lagMs: 600 } : e));

describe('judgeRun on a saturated harness', () => {
  it('says unknown, not fail, when the targets fail but the harness did not deliver the load', () => {
    expect(judgeRun(calmP2p(1)).verdict).toBe('fail');
    const verdict = judgeRun(calmP2p(0.5));
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.saturation?.saturated).toBe(true);
    // The failing targets are still reported as measured; the verdict just makes no claim.
    expect(verdict.targets.filter((t) => t.outcome === 'fail')).toHaveLength(4);
    expect(verdict.targets.at(-1)).toEqual({
      name: 'harness delivered the scenario load',
      target: 'not saturated',
      measured: 'harness saturated',
      outcome: 'unknown',
      pass: false,
      detail: 'fleet-1: 50.0% of 950 scheduled attempts not made (bound 10.0%)',
    });
  });

  it('says unknown, not pass, when every target passes on a saturated harness', () => {
    expect(judgeRun(dedicatedHistory()).verdict).toBe('pass');
    const verdict = judgeRun(lateTicks(dedicatedHistory()));
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.outcome).toBe('completed');
    const harness = verdict.targets.find((t) => t.name === 'harness delivered the scenario load');
    expect(harness?.outcome).toBe('unknown');
    expect(harness?.detail).toMatch(/^sampler: 100\.0% of ticks late by a whole 500 ms period/);
    expect(verdict.targets.filter((t) => t.name !== 'harness delivered the scenario load').every((t) => t.outcome === 'pass')).toBe(true);
  });

  it('adds no harness target when the harness delivered the load', () => {
    const verdict = judgeRun(calmP2p(0.99));
    expect(verdict.saturation).toMatchObject({ saturated: false, reasons: [] });
    expect(verdict.targets.map((t) => t.name)).not.toContain('harness delivered the scenario load');
  });
});

describe('judgeRun on a history without run-end', () => {
  it('says unknown on the verdict and on every target, marking the ones it had judged as incomplete', () => {
    const verdict = judgeRun(withoutRunEnd(dedicatedHistory()));
    expect(verdict).toMatchObject({ verdict: 'unknown', outcome: 'unknown' });
    expect(verdict.targets.map((t) => [t.name, t.outcome, t.pass])).toEqual([
      ['run completed', 'unknown', false],
      ['timeline steps ran', 'unknown', false],
      ['recovery time', 'unknown', false],
      ['availability floor', 'unknown', false],
      ['messages lost', 'unknown', false],
    ]);
    expect(verdict.targets[0]?.detail).toBe('the history has no run-end: the run stopped before it could record one');
    for (const target of verdict.targets.slice(1)) expect(target.detail).toMatch(/^incomplete history \(no run-end\): pass so far/);
    // The measured value is kept.
    expect(verdict.targets.find((t) => t.name === 'availability floor')?.measured).toBe(0.8);
  });

  it('turns a fail so far into unknown too, keeping what the checker said', () => {
    const verdict = judgeRun(withoutRunEnd(calmP2p(1)));
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.targets.every((t) => t.outcome === 'unknown')).toBe(true);
    const low = verdict.targets.find((t) => t.name === 'outage: online low point');
    expect(low?.detail).toMatch(/^incomplete history \(no run-end\): fail so far/);
  });
});

describe('judgeRun on a run that failed or was interrupted', () => {
  for (const outcome of ['failed', 'interrupted'] as const) {
    it(`says unknown, not fail, when the run ${outcome}`, () => {
      const events = calmP2p(1).map((e) => (e.type === 'run-end' ? { ...e, outcome } : e));
      const verdict = judgeRun(events);
      expect(verdict.verdict).toBe('unknown');
      expect(verdict.targets.some((t) => t.outcome === 'fail')).toBe(false);
      expect(verdict.targets.find((t) => t.name === 'outage: online low point')?.detail).toMatch(new RegExp(`^run ${outcome}: fail so far`));
    });
  }

  it('keeps an aborted run (an abort condition fired) as a deviation: fail', () => {
    const events = calmP2p(1).map((e) => (e.type === 'run-end' ? { ...e, outcome: 'aborted' as const } : e));
    expect(judgeRun(events).verdict).toBe('fail');
  });
});

describe('judgeRun on a run interrupted after its timeline', () => {
  const whole = judgeRun(dedicatedRun());

  for (const phase of ['rollback', 'teardown'] as const) {
    it(`marks a run interrupted during its ${phase} and keeps its verdict: the timeline completed`, () => {
      expect(whole).toMatchObject({ verdict: 'pass', outcome: 'completed' });
      expect(whole.interruptedDuring).toBeUndefined();
      const verdict = judgeRun(dedicatedRun(phase));
      expect(verdict).toEqual({ ...whole, interruptedDuring: phase });
    });
  }

  it('does not mark a run the signal cut short: its run-end says interrupted and its verdict is unknown', () => {
    const verdict = judgeRun(dedicatedRun('timeline'));
    expect(verdict).toMatchObject({ verdict: 'unknown', outcome: 'interrupted' });
    expect(verdict.interruptedDuring).toBeUndefined();
  });
});

describe('judgeRun on a failed timeline step', () => {
  const withError = (message: string): HistoryEvent[] => {
    const events = dedicatedHistory();
    const end = events.findIndex((e) => e.type === 'run-end');
    return [...events.slice(0, end), { t: 11_000, type: 'error', message }, ...events.slice(end)];
  };

  it('says unknown for "timeline steps ran" and for the verdict when a step failed', () => {
    const verdict = judgeRun(withError('step 2 (crash crash-some) failed: no such container'));
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.targets.find((t) => t.name === 'timeline steps ran')).toEqual({
      name: 'timeline steps ran',
      target: 'every step',
      measured: '1 failed',
      outcome: 'unknown',
      pass: false,
      detail: 'step 2 (crash crash-some) failed: no such container',
    });
  });

  it('says unknown, not fail, when a step failed and targets missed: the run was not the scripted experiment', () => {
    expect(judgeRun(calmP2p(1)).verdict).toBe('fail');
    const events = calmP2p(1);
    const end = events.findIndex((e) => e.type === 'run-end');
    const verdict = judgeRun([...events.slice(0, end), { t: 10_000, type: 'error', message: 'step timeline[1] (inject) failed: refused' }, ...events.slice(end)]);
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.targets.some((t) => t.outcome === 'fail')).toBe(false);
    expect(verdict.targets.find((t) => t.name === 'outage: online low point')?.detail).toMatch(/^1 timeline step failed: fail so far/);
  });

  it('passes "timeline steps ran" when an error is not a step', () => {
    const verdict = judgeRun(withError('sampler: fleet-1 status timed out'));
    expect(verdict.targets.find((t) => t.name === 'timeline steps ran')).toMatchObject({ measured: 'all', outcome: 'pass' });
    expect(verdict.verdict).toBe('pass');
  });
});

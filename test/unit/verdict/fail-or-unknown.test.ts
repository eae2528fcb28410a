import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../harness/observe/history-types.js';
import { verdictLine } from '../../../harness/report/verdict-line.js';
import { judgeRun } from '../../../harness/verdict/judge-run.js';
import { measureSupernodeLoss } from '../../../harness/verdict/supernode-loss.js';
import { HistoryBuilder, dedicatedHistory, fleetAt, p2pOutageHistory } from './history-builder.js';

/**
 * Fail is the system's, unknown the harness's: recorded histories, each built by hand, for every
 * rule that decides between the two.
 */

const TIMEOUT_MESSAGE = 'the steady state did not hold for 2h within 20h (20.0s real)';

/**
 * Deployed, then a steady-state wait from 1 s to 21 s (the fixture's `within` of 20h at 1 s an hour)
 * in which 1% of the clients come online, the fleet making `madeShare` of its scheduled attempts
 * (no attempt figures at all when undefined); the run ends failed on the wait's TIMEOUT.
 */
const steadyStateMissed = (madeShare: number | undefined): HistoryEvent[] =>
  new HistoryBuilder('dedicated')
    .phase(0, 'deploying')
    .phase(1_000, 'steady-state')
    .samples(1_000, 21_000, (t) => {
      const scheduled = ((t - 1_000) / 500) * 50;
      return { online: 10, ...(madeShare === undefined ? {} : { nodes: { 'fleet-1': fleetAt(scheduled, Math.round(scheduled * madeShare)) } }) };
    })
    .error(21_000, TIMEOUT_MESSAGE, 'TIMEOUT')
    .phase(21_010, 'rollback')
    .end(21_100, 'failed', TIMEOUT_MESSAGE)
    .phase(21_200, 'teardown')
    .phase(22_000, 'done')
    .build();

/** The events with one more inserted before the run-end. */
const beforeRunEnd = (events: readonly HistoryEvent[], event: HistoryEvent): HistoryEvent[] => {
  const end = events.findIndex((e) => e.type === 'run-end');
  return [...events.slice(0, end), event, ...events.slice(end)];
};

/** The history with the fleets unread in the first `count` samples of the timeline (from 10 s). */
const unreadIn = (events: readonly HistoryEvent[], count: number): HistoryEvent[] => {
  const timeline = events.filter((e) => e.type === 'sample' && e.t >= 10_000).slice(0, count);
  return events.map((e) => (e.type === 'sample' && timeline.includes(e) ? { ...e, totals: { ...e.totals, fleetsUnread: 1 } } : e));
};

describe('a steady state never reached', () => {
  it('is a fail, with the reason and the figures, when the harness delivered its load', () => {
    const verdict = judgeRun(steadyStateMissed(0.99));
    expect(verdict.verdict).toBe('fail');
    expect(verdict.saturation).toMatchObject({ saturated: false });
    expect(verdict.targets.find((t) => t.name === 'steady state')).toEqual({
      name: 'steady state',
      target: 'within 20h',
      measured: 'not reached',
      outcome: 'fail',
      pass: false,
      detail: 'steady state not reached within 20h: online 1% at best against 95% wanted, while the harness delivered its load',
    });
    // The targets of a timeline that never ran are not measured, and are no part of the fail.
    expect(verdict.targets.filter((t) => t.outcome === 'fail').map((t) => t.name)).toEqual(['steady state']);
    expect(verdictLine(verdict).got).toBe('got ✘ FAIL: missed: steady state not reached (wanted within 20h)');
  });

  it('is unknown when the harness was saturated during the steady state', () => {
    const verdict = judgeRun(steadyStateMissed(0.5));
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.saturation?.reasons).toEqual(["fleet-1: 50.0% of 1950 scheduled attempts not made (bound 10.0%)"]);
    const steady = verdict.targets.find((t) => t.name === 'steady state');
    expect(steady).toMatchObject({ outcome: 'unknown' });
    expect(steady?.detail).toBe('steady state not reached within 20h: online 1% at best against 95% wanted; but the harness fell short: harness saturated');
    expect(verdict.targets.some((t) => t.outcome === 'fail')).toBe(false);
  });

  it('is unknown when no fleet counted its attempts: whether the load was delivered is not known', () => {
    const verdict = judgeRun(steadyStateMissed(undefined));
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.targets.find((t) => t.name === 'steady state')?.outcome).toBe('unknown');
    expect(verdict.targets.find((t) => t.name === 'run completed')?.detail).toBe(TIMEOUT_MESSAGE);
    expect(verdict.targets.find((t) => t.name === 'steady state')?.detail).toBe(
      'steady state not reached within 20h: online 1% at best against 95% wanted; but the harness fell short: no fleet counted 100 scheduled attempts during the steady state: whether the harness delivered its load is not known',
    );
  });

  it('leaves a run that failed in its timeline (the engine lost) unknown', () => {
    const events = dedicatedHistory().map((e) => (e.type === 'run-end' ? { ...e, outcome: 'failed' as const } : e));
    const verdict = judgeRun(beforeRunEnd(events, { t: 20_000, type: 'error', message: 'the engine stopped answering', code: 'TIMEOUT' }));
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.targets.map((t) => t.name)).not.toContain('steady state');
  });
});

describe('a node restart the harness could not carry out', () => {
  it('makes the run unknown, with the reason, where it would have passed', () => {
    expect(judgeRun(dedicatedHistory()).verdict).toBe('pass');
    const verdict = judgeRun(beforeRunEnd(dedicatedHistory(), { t: 15_000, type: 'error', message: 'restart of sn-3 failed: no such container' }));
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.targets.find((t) => t.name === 'node restarts ran')).toEqual({
      name: 'node restarts ran',
      target: 'every restart',
      measured: '1 failed',
      outcome: 'unknown',
      pass: false,
      detail: 'restart of sn-3 failed: no such container',
    });
    expect(verdict.targets.find((t) => t.name === 'availability floor')?.detail).toMatch(/^1 node restart failed: pass so far/);
    expect(verdictLine(verdict).got).toMatch(/^got \? UNKNOWN: could not judge node restarts ran 1 failed \(wanted every restart\)/);
  });

  it('makes the run unknown where it would have failed', () => {
    const failing = new HistoryBuilder('dedicated')
      .steady()
      .fault(10_000, 'trigger', 'inject')
      .fault(12_000, 'trigger', 'heal')
      .samples(10_000, 30_000, { online: 100 })
      .phase(30_000, 'teardown')
      .end(30_500)
      .build();
    expect(judgeRun(failing).verdict).toBe('fail');
    const verdict = judgeRun(beforeRunEnd(failing, { t: 15_000, type: 'error', message: 'restart of sn-3 failed: timed out' }));
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.targets.some((t) => t.outcome === 'fail')).toBe(false);
  });
});

describe('fleet samples the harness could not read', () => {
  it('counts them in every verdict, and judges the run at or below 5% of the timeline samples', () => {
    expect(judgeRun(dedicatedHistory()).unreadFleetSamples).toEqual({ unread: 0, samples: 40, share: 0, exceeded: false });
    const atBound = judgeRun(unreadIn(dedicatedHistory(), 2));
    expect(atBound.unreadFleetSamples).toEqual({ unread: 2, samples: 40, share: 0.05, exceeded: false });
    expect(atBound.verdict).toBe('pass');
    expect(atBound.targets.map((t) => t.name)).not.toContain('fleet samples read');
  });

  it('makes the run unknown above 5%, naming the count', () => {
    const verdict = judgeRun(unreadIn(dedicatedHistory(), 3));
    expect(verdict.unreadFleetSamples).toEqual({ unread: 3, samples: 40, share: 0.075, exceeded: true });
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.targets.find((t) => t.name === 'fleet samples read')).toMatchObject({
      target: 'unread <= 5%',
      measured: '3 of 40 unread',
      outcome: 'unknown',
      detail: '3 of 40 timeline samples with a fleet the harness could not read (7.5%, bound 5%): the low point and the recovery would rest on the samples left',
    });
  });
});

describe('a supernode that exits with a code of its own (the service crashed)', () => {
  const withExit = (exitCode: number, cause: 'unknown' | 'config-error'): HistoryEvent[] => {
    const events = p2pOutageHistory();
    const end = events.findIndex((e) => e.type === 'phase' && e.phase === 'rollback');
    return [...events.slice(0, end), { t: 16_000, type: 'node', node: 'sn-9', role: 'supernode', change: 'down', cause, exitCode }, ...events.slice(end)];
  };

  for (const [exitCode, cause] of [
    [1, 'unknown'],
    [78, 'config-error'],
  ] as const) {
    it(`never counts exit ${exitCode} as a supernode lost or as cascade, and lists it as a node failure`, () => {
      const before = judgeRun(p2pOutageHistory());
      const verdict = judgeRun(withExit(exitCode, cause));
      expect(measureSupernodeLoss(withExit(exitCode, cause))).toEqual(measureSupernodeLoss(p2pOutageHistory()));
      expect(verdict.summary).toEqual(before.summary);
      expect(verdict.verdict).toBe(before.verdict);
      expect(before.nodesFailed).toEqual([]);
      expect(verdict.nodesFailed).toEqual([{ node: 'sn-9', role: 'supernode', t: 16_000, exitCode }]);
    });
  }

  it('still counts the known exits: 70 (the bug), 75 (self-protection) and 137 (killed)', () => {
    const loss = measureSupernodeLoss(p2pOutageHistory());
    expect(loss.direct).toEqual(['sn-0', 'sn-1', 'sn-2']);
    expect(loss.total).toHaveLength(9);
    const killed = new HistoryBuilder('p2p').steady().fault(10_000, 'trigger', 'inject').down(11_000, 'sn-0', 'killed', 137).samples(10_000, 12_000, { online: 900 });
    expect(measureSupernodeLoss(killed.end(12_000).build())).toMatchObject({ direct: ['sn-0'], total: ['sn-0'] });
  });
});

import { describe, expect, it } from 'vitest';
import type { NodeObservation } from '../../../harness/observe/history-types.js';
import { judgeRun } from '../../../harness/verdict/judge-run.js';
import { measureRehome } from '../../../harness/verdict/rehome.js';
import { REHOME_TARGET_NAME } from '../../../harness/verdict/target-checks.js';
import { HistoryBuilder } from './history-builder.js';

const boxWith = (sessions: number): NodeObservation => ({ role: 'supernode', up: true, ready: true, state: 'serving', mode: 'dedicated', sessions });
const boxDown: NodeObservation = { role: 'supernode', up: false, ready: false };

/**
 * 1000 clients, 10 boxes of 100; the timeline crashes sn-3 at 12 s (its 100 clients lose their
 * supernode) while 50 clients are crashed by the bug. `backAfterMs`: when all but `left` of them are
 * online again elsewhere (never when undefined); the box itself restarts at 25 s.
 */
function crashedBox(backAfterMs: number | undefined, left = 0, seenDownFrom = 12_500) {
  const b = new HistoryBuilder('dedicated', { targets: { rehomeWithin: '3h' } }).steady();
  b.samples(10_000, 12_000, { online: 950, crashed: 50, nodes: { 'sn-3': boxWith(100) } });
  b.crash(12_000, 'box-lost', ['sn-3']);
  b.samples(12_000, 30_000, (t) => {
    const rehomed = backAfterMs !== undefined && t >= 12_000 + backAfterMs;
    return { online: rehomed ? 950 - left : t >= 25_000 ? 950 : 850, crashed: 50, nodes: { 'sn-3': t >= seenDownFrom && t < 25_000 ? boxDown : boxWith(100) } };
  });
  return b.restarted(25_000, 'sn-3').phase(30_000, 'rollback').end(30_100).build();
}

describe('the crashed box re-homed', () => {
  it('measures the time until its clients are online elsewhere, against their level before the crash', () => {
    const rehome = measureRehome(crashedBox(2_500));
    expect(rehome.boxes).toEqual([{ box: 'sn-3', crashedAt: 12_000, sessions: 100, rehomeMs: 2_500 }]);
    expect(rehome.slowestMs).toBe(2_500);
  });

  it('starts looking once a sample sees the box down: before that its clients may not have noticed', () => {
    // Online still at its old level at 12.5 s and 13 s, but the sampler sees the box down only from 13.5 s.
    const late = crashedBox(0, 0, 13_500);
    const early = measureRehome(late.map((event) => (event.type === 'sample' && event.t >= 12_000 && event.t < 14_000 ? { ...event, totals: { ...event.totals, clientsOnline: event.t < 13_500 ? 950 : 850 } } : event)));
    expect(early.boxes[0]?.rehomeMs).toBe(2_000);
  });

  it('is unknown when no sample saw the box down', () => {
    const never = judgeRun(crashedBox(2_500, 0, 99_000)).targets.find((t) => t.name === REHOME_TARGET_NAME);
    expect(never).toMatchObject({ outcome: 'unknown', measured: null });
    expect(never?.detail).toContain('never seen down');
  });

  it('passes within the target (in scenario hours) and fails past it', () => {
    const quick = judgeRun(crashedBox(2_500)).targets.find((t) => t.name === REHOME_TARGET_NAME);
    expect(quick).toMatchObject({ outcome: 'pass', measured: 2.5, target: '<= 3h' });
    const slow = judgeRun(crashedBox(4_000)).targets.find((t) => t.name === REHOME_TARGET_NAME);
    expect(slow).toMatchObject({ outcome: 'fail', measured: 4 });
  });

  it('counts a tenth of the box still without a supernode as re-homed, and more as not', () => {
    expect(measureRehome(crashedBox(1_000, 10)).slowestMs).toBe(1_000);
    expect(measureRehome(crashedBox(1_000, 11)).slowestMs).toBeNull();
  });

  it('fails when the clients waited for the box to come back instead of re-homing', () => {
    const waited = judgeRun(crashedBox(undefined)).targets.find((t) => t.name === REHOME_TARGET_NAME);
    expect(waited).toMatchObject({ outcome: 'fail', measured: null });
    expect(waited?.detail).toContain('not before it came back');
  });

  it('is unknown when the timeline crashed nothing', () => {
    const history = new HistoryBuilder('dedicated', { targets: { rehomeWithin: '3h' } }).steady().samples(10_000, 20_000, { online: 1_000 }).end(20_000).build();
    expect(judgeRun(history).targets.find((t) => t.name === REHOME_TARGET_NAME)).toMatchObject({ outcome: 'unknown' });
  });

  it("reads the fleets' own count of clients re-homing where they give it: restarts after a crash are not re-homing", () => {
    const b = new HistoryBuilder('dedicated', { targets: { rehomeWithin: '3h' } }).steady();
    b.samples(10_000, 12_000, { online: 950, crashed: 50, rehoming: 0, nodes: { 'sn-3': boxWith(100) } });
    b.crash(12_000, 'box-lost', ['sn-3']);
    // From 13 s a wave of 60 restarting clients logs in (not online, not crashed); the box's clients are back at 14 s.
    b.samples(12_000, 20_000, (t) => ({ online: t < 13_000 ? 850 : 890, crashed: 0, rehoming: t < 14_000 ? 100 : 1, nodes: { 'sn-3': t >= 12_500 ? boxDown : boxWith(100) } }));
    expect(measureRehome(b.end(20_000).build()).slowestMs).toBe(2_000);
  });
});

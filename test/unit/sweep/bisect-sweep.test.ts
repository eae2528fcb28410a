import { describe, expect, it } from 'vitest';
import { bisectSweep, midpoint } from '../../../harness/sweep/bisect-sweep.js';
import { judgedTally } from '../../../harness/sweep/holds-when.js';
import { deliveryTally, runDelivery } from '../../../harness/sweep/run-delivery.js';
import { pointStatus } from '../../../harness/sweep/sweep-point.js';
import { breaks, fakeRunner, holds, pointRuns, saturated, SEEDS, type FakeRun } from './sweep-fixtures.js';

describe('pointStatus', () => {
  it('holds only when every run was judged and passed', () => {
    expect(pointStatus(pointRuns(['pass', 'pass', 'pass']).met)).toBe('holds');
    expect(pointStatus(pointRuns(['pass', 'fail', 'pass']).met)).toBe('breaks');
    expect(pointStatus(pointRuns(['fail', 'saturated', 'pass']).met)).toBe('breaks');
    expect(pointStatus(pointRuns(['pass', 'saturated', 'pass']).met)).toBe('saturated');
    expect(pointStatus(pointRuns(['pass', 'unknown', 'pass']).met)).toBe('unknown');
    expect(pointStatus(pointRuns([]).met)).toBe('unknown');
  });

  it('under --holds-when expectation, judges by the expectation tally itself', () => {
    const point = pointRuns(['pass', 'saturated', 'fail']);
    expect(judgedTally(point, 'expectation')).toBe(point.met);
  });
});

describe('pointStatus under --holds-when delivered', () => {
  const delivered = (outcomes: readonly FakeRun[]) => pointStatus(judgedTally(pointRuns(outcomes), 'delivered'));

  it('holds when the harness delivered the load in every run, whatever the verdicts', () => {
    expect(delivered(['pass', 'pass', 'pass'])).toBe('holds');
    expect(delivered(['fail', 'fail', 'fail'])).toBe('holds');
    expect(delivered(['pass', 'fail', 'pass'])).toBe('holds');
  });

  it('breaks when the harness saturated in any run, even beside a run not judged', () => {
    expect(delivered(['pass', 'saturated', 'pass'])).toBe('breaks');
    expect(delivered(['saturated', 'saturated', 'saturated'])).toBe('breaks');
    expect(delivered(['saturated', 'unknown', 'fail'])).toBe('breaks');
  });

  it('is unknown when a run was not judged for another reason and none saturated', () => {
    expect(delivered(['pass', 'unknown', 'fail'])).toBe('unknown');
    expect(delivered(['unknown', 'unknown', 'unknown'])).toBe('unknown');
  });

  it('is unknown with no run at all, and never saturated (saturation is its failure)', () => {
    expect(delivered([])).toBe('unknown');
    const statuses = (['pass', 'fail', 'unknown', 'saturated'] as const).flatMap((a) => (['pass', 'fail', 'unknown', 'saturated'] as const).map((b) => delivered([a, b])));
    expect(statuses).not.toContain('saturated');
  });
});

describe('a run\'s delivery', () => {
  it('is read from its saturation flag and its verdict: saturated, else delivered when judged, else unknown', () => {
    expect(runDelivery({ saturated: true, verdict: 'unknown' })).toBe('saturated');
    expect(runDelivery({ saturated: false, verdict: 'pass' })).toBe('delivered');
    expect(runDelivery({ saturated: false, verdict: 'fail' })).toBe('delivered');
    expect(runDelivery({ saturated: false, verdict: 'unknown' })).toBe('unknown');
  });

  it('tallies delivered runs as passes and saturated runs as failures, naming their seeds', () => {
    expect(deliveryTally(pointRuns(['fail', 'saturated', 'unknown']).runs)).toMatchObject({
      name: 'harness delivered the scenario load',
      passes: 1,
      fails: 1,
      runs: 2,
      saturated: 0,
      unknown: 1,
      rate: 0.5,
      failingSeeds: [SEEDS[1]],
    });
    expect(deliveryTally([])).toMatchObject({ passes: 0, fails: 0, runs: 0, unknown: 0, rate: null });
  });
});

describe('midpoint', () => {
  it('halves the bracket either way round, rounding down for whole numbers, and says when nothing lies between', () => {
    expect(midpoint({ holds: 10, breaks: 40 }, false)).toBe(25);
    expect(midpoint({ holds: 40, breaks: 10 }, false)).toBe(25);
    expect(midpoint({ holds: 10, breaks: 13 }, true)).toBe(11);
    expect(midpoint({ holds: 10, breaks: 11 }, true)).toBeUndefined();
  });
});

describe('bisectSweep on a fake runner', () => {
  it('finds a breaking point where smaller breaks (capacity) within the range / 2^steps', async () => {
    const breakingPoint = 21.3;
    const fake = fakeRunner((value) => (value >= breakingPoint ? holds : breaks));
    const outcome = await bisectSweep({ from: 5, to: 100, integer: false, steps: 5 }, fake.run);
    expect(fake.values.slice(0, 2)).toEqual([5, 100]);
    expect(outcome.points).toHaveLength(7);
    expect(outcome.direction).toBe('smaller-breaks');
    expect(outcome.stop).toEqual({ kind: 'steps' });
    const { holds: held, breaks: broke } = outcome.bracket!;
    expect(held).toBeGreaterThanOrEqual(breakingPoint);
    expect(broke).toBeLessThan(breakingPoint);
    expect(held - broke).toBeLessThanOrEqual(95 / 2 ** 5);
    expect(outcome.points.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('finds a breaking point where bigger breaks (clients a fleet), resolved to neighbouring whole numbers', async () => {
    const fake = fakeRunner((value) => (value <= 37 ? holds : breaks));
    const outcome = await bisectSweep({ from: 1, to: 64, integer: true, steps: 10 }, fake.run);
    expect(outcome.direction).toBe('bigger-breaks');
    expect(outcome.bracket).toEqual({ holds: 37, breaks: 38 });
    expect(outcome.stop).toEqual({ kind: 'resolved' });
    expect(fake.values.every(Number.isInteger)).toBe(true);
    expect(fake.values.length).toBeLessThanOrEqual(2 + 10);
  });

  it('never bisects on a saturated point: it stops there with the bracket it had', async () => {
    const sat = await bisectSweep({ from: 0, to: 100, integer: false, steps: 5 }, fakeRunner((value) => (value === 50 ? saturated : value >= 20 ? holds : breaks)).run);
    expect(sat.points.map((p) => [p.value, p.status])).toEqual([
      [0, 'breaks'],
      [100, 'holds'],
      [50, 'saturated'],
    ]);
    expect(sat.stop).toEqual({ kind: 'unjudged-point', value: 50, status: 'saturated' });
    expect(sat.bracket).toEqual({ holds: 100, breaks: 0 });
  });

  it('runs nothing between the ends when an end is saturated', async () => {
    const fake = fakeRunner((value) => (value === 100 ? saturated : breaks));
    const outcome = await bisectSweep({ from: 0, to: 100, integer: false, steps: 5 }, fake.run);
    expect(fake.values).toEqual([0, 100]);
    expect(outcome.bracket).toBeNull();
    expect(outcome.direction).toBeNull();
    expect(outcome.stop).toEqual({ kind: 'unjudged-end', value: 100, status: 'saturated' });
  });

  it('says when both ends hold or both break, and bisects nothing', async () => {
    expect((await bisectSweep({ from: 1, to: 2, integer: false, steps: 5 }, fakeRunner(() => holds).run)).stop).toEqual({ kind: 'holds-throughout' });
    const broken = await bisectSweep({ from: 1, to: 2, integer: false, steps: 5 }, fakeRunner(() => breaks).run);
    expect(broken.stop).toEqual({ kind: 'breaks-throughout' });
    expect(broken.points).toHaveLength(2);
  });

  it('under --holds-when delivered, bisects for the largest value the harness delivers, whatever the system did', async () => {
    // The system misses its expectation everywhere; the harness saturates above 1200 clients a fleet.
    const machine = (value: number): readonly FakeRun[] => (value <= 1200 ? ['fail', 'pass', 'fail'] : ['fail', 'saturated', 'fail']);
    const delivered = await bisectSweep({ from: 100, to: 2000, integer: true, steps: 20, holdsWhen: 'delivered' }, fakeRunner(machine).run);
    expect(delivered.direction).toBe('bigger-breaks');
    expect(delivered.bracket).toEqual({ holds: 1200, breaks: 1201 });
    expect(delivered.stop).toEqual({ kind: 'resolved' });
    const expected = await bisectSweep({ from: 100, to: 2000, integer: true, steps: 20 }, fakeRunner(machine).run);
    expect(expected.stop).toEqual({ kind: 'breaks-throughout' });
  });

  it('under --holds-when delivered, never bisects on a point a run of which was not judged', async () => {
    const fake = fakeRunner((value) => (value === 1050 ? ['pass', 'unknown', 'pass'] : value < 1500 ? holds : saturated));
    const outcome = await bisectSweep({ from: 100, to: 2000, integer: true, steps: 5, holdsWhen: 'delivered' }, fake.run);
    expect(fake.values).toEqual([100, 2000, 1050]);
    expect(outcome.stop).toEqual({ kind: 'unjudged-point', value: 1050, status: 'unknown' });
    expect(outcome.bracket).toEqual({ holds: 100, breaks: 2000 });
  });

  it('stops after a point that did not finish, and keeps what a throwing point left', async () => {
    const stopped = await bisectSweep({ from: 0, to: 10, integer: false, steps: 5 }, async ({ value }) => ({ ...pointRuns(value < 5 ? breaks : holds), stoppedEarly: value === 5 }));
    expect(stopped.stop).toEqual({ kind: 'stopped', value: 5 });
    expect(stopped.bracket).toEqual({ holds: 10, breaks: 0 });
    const error = new Error('engine gone');
    const thrown = await bisectSweep({ from: 0, to: 10, integer: false, steps: 5 }, async ({ value }) => {
      if (value === 10) throw error;
      return pointRuns(holds);
    });
    expect(thrown.error).toBe(error);
    expect(thrown.stop).toEqual({ kind: 'stopped', value: 10 });
    expect(thrown.points).toHaveLength(1);
  });
});

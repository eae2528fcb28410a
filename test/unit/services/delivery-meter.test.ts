import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../../services/common/clock.js';
import { DeliveryMeter } from '../../../services/common/delivery-meter.js';
import { TaskScheduler } from '../../../services/common/task-scheduler.js';

describe('DeliveryMeter', () => {
  it('counts an attempt on time as one scheduled and one made', () => {
    const meter = new DeliveryMeter();
    meter.record(1_000, 1_000, 100);
    expect([meter.scheduled, meter.made]).toEqual([1, 1]);
  });

  it('counts the attempts a late run skipped as scheduled and not made', () => {
    const meter = new DeliveryMeter();
    // 2.5 periods late: 2 whole periods skipped, plus the attempt that ran.
    meter.record(1_000, 1_250, 100);
    expect([meter.scheduled, meter.made]).toEqual([3, 1]);
    // Less than a period late skips nothing; early is on time.
    meter.record(2_000, 2_099, 100);
    meter.record(3_000, 2_900, 100);
    expect([meter.scheduled, meter.made]).toEqual([5, 3]);
  });

  it('skips nothing for a period of zero', () => {
    const meter = new DeliveryMeter();
    meter.record(0, 10_000, 0);
    expect([meter.scheduled, meter.made]).toEqual([1, 1]);
  });
});

describe('TaskScheduler with a delivery meter', () => {
  /** The scheduler's clock is set by hand; its single setTimeout is driven by fake timers. */
  let now = 0;
  const clock: Clock = { now: () => now };

  beforeEach(() => {
    now = 0;
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('meters tasks given a period and leaves the others out', () => {
    const meter = new DeliveryMeter();
    const errors: unknown[] = [];
    const scheduler = new TaskScheduler(clock, (error) => errors.push(error), meter);
    const ran: string[] = [];
    scheduler.after(100, () => ran.push('retry'), 100);
    scheduler.after(100, () => ran.push('one-off'));
    now = 100;
    vi.advanceTimersByTime(100);
    expect(ran).toEqual(['retry', 'one-off']);
    expect([meter.scheduled, meter.made]).toEqual([1, 1]);
    expect(errors).toEqual([]);
    scheduler.stop();
  });

  it('counts a periodic task that ran late as the attempts it skipped', () => {
    const meter = new DeliveryMeter();
    const scheduler = new TaskScheduler(clock, () => undefined, meter);
    const ran: string[] = [];
    // Due at 100; the event loop gets to it at 350: 2.5 periods late.
    scheduler.after(100, () => ran.push('heartbeat'), 100);
    scheduler.after(100, () => ran.push('one-off, as late'));
    now = 350;
    vi.advanceTimersByTime(100);
    expect(ran).toEqual(['heartbeat', 'one-off, as late']);
    expect([meter.scheduled, meter.made]).toEqual([3, 1]);
    scheduler.stop();
  });

  it('meters each periodic attempt that runs, and not a cancelled one', () => {
    const meter = new DeliveryMeter();
    const scheduler = new TaskScheduler(clock, () => undefined, meter);
    const tick = (): void => {
      scheduler.after(1_000, tick, 1_000);
    };
    scheduler.after(1_000, tick, 1_000);
    scheduler.after(1_000, () => undefined, 1_000).cancel();
    for (let i = 1; i <= 3; i += 1) {
      now = i * 1_000;
      vi.advanceTimersByTime(1_000);
    }
    expect([meter.scheduled, meter.made]).toEqual([3, 3]);
    scheduler.stop();
  });

  it('meters a periodic task that throws, and reports the error', () => {
    const meter = new DeliveryMeter();
    const errors: unknown[] = [];
    const scheduler = new TaskScheduler(clock, (error) => errors.push(error), meter);
    scheduler.after(10, () => {
      throw new Error('boom');
    }, 10);
    now = 10;
    vi.advanceTimersByTime(10);
    expect([meter.scheduled, meter.made]).toEqual([1, 1]);
    expect(errors).toEqual([new Error('boom')]);
    scheduler.stop();
  });

  it('runs without a meter', () => {
    const scheduler = new TaskScheduler(clock, () => undefined);
    let ran = false;
    scheduler.after(5, () => (ran = true), 5);
    now = 5;
    vi.advanceTimersByTime(5);
    expect(ran).toBe(true);
    scheduler.stop();
  });
});

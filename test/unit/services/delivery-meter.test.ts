import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../../services/common/clock.js';
import { DeliveryMeter } from '../../../services/common/delivery-meter.js';
import { createRandom } from '../../../services/common/seeded-random.js';
import { TaskScheduler } from '../../../services/common/task-scheduler.js';
import type { ClientContext } from '../../../services/client-fleet/client-context.js';
import { ClientLife } from '../../../services/client-fleet/client-life.js';
import { clientBehaviourSchema, type ReconnectPolicy } from '../../../services/client-fleet/client-settings.js';
import { RetrySchedule } from '../../../services/client-fleet/retry-schedule.js';

describe('DeliveryMeter', () => {
  it('counts an attempt on time as one scheduled and one made', () => {
    const meter = new DeliveryMeter();
    meter.record(1_000, 1_000, 100);
    expect([meter.scheduled, meter.made]).toEqual([1, 1]);
  });

  it('counts lateness as the share of a period the attempt came late', () => {
    const meter = new DeliveryMeter();
    // 10 retries each 1 s late on a 2 s period came every 3 s: a third of the stated rate not offered.
    for (let i = 0; i < 10; i += 1) meter.record(i * 3_000, i * 3_000 + 1_000, 2_000);
    expect([meter.scheduled, meter.made]).toEqual([15, 10]);
    expect(1 - meter.made / meter.scheduled).toBeCloseTo(1 / 3);
  });

  it('counts less than a period late, and early is on time', () => {
    const meter = new DeliveryMeter();
    meter.record(1_000, 1_900, 2_000);
    expect(meter.scheduled).toBeCloseTo(1.45);
    meter.record(3_000, 2_900, 2_000);
    expect(meter.scheduled).toBeCloseTo(2.45);
    expect(meter.made).toBe(2);
  });

  it('shows no shortfall for attempts on time', () => {
    const meter = new DeliveryMeter();
    for (let i = 0; i < 10; i += 1) meter.record(i * 2_000, i * 2_000, 2_000);
    expect([meter.scheduled, meter.made]).toEqual([10, 10]);
  });

  it('counts nothing late for a period of zero', () => {
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

  it('counts a periodic task that ran late by its lateness over its period', () => {
    const meter = new DeliveryMeter();
    const scheduler = new TaskScheduler(clock, () => undefined, meter);
    const ran: string[] = [];
    // Due at 100; the event loop gets to it at 350: 2.5 periods late.
    scheduler.after(100, () => ran.push('heartbeat'), 100);
    scheduler.after(100, () => ran.push('one-off, as late'));
    now = 350;
    vi.advanceTimersByTime(100);
    expect(ran).toEqual(['heartbeat', 'one-off, as late']);
    expect([meter.scheduled, meter.made]).toEqual([3.5, 1]);
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

describe('RetrySchedule metering', () => {
  /** A client whose scheduler only records what it was asked to run. */
  const retries = (reconnect: ReconnectPolicy) => {
    let now = 0;
    const calls: { delayMs: number; periodMs: number | undefined }[] = [];
    const scheduler = {
      after: (delayMs: number, _run: () => void, periodMs?: number) => {
        calls.push({ delayMs, periodMs });
        return { cancel: () => undefined };
      },
    };
    const behaviour = clientBehaviourSchema.parse({ secret: 'secret-123', loginAddress: 'login:1', offlineMessagesAddress: 'offline:2', reconnect });
    const ctx = { behaviour, scheduler, clock: { now: () => now } } as unknown as ClientContext;
    const core = new ClientLife({ userId: 'u1', clientVersion: '1', vulnerable: false, random: createRandom(7) }, ctx);
    return { schedule: new RetrySchedule(core), calls, advance: (ms: number) => (now += ms) };
  };
  const noop = (): void => undefined;

  it('meters a naive retry on its interval, also when the attempt took part of it', () => {
    const { schedule, calls, advance } = retries({ policy: 'naive', intervalMs: 2_000 });
    schedule.afterDelay(noop);
    schedule.attemptStarted();
    advance(500);
    schedule.afterAttempt(noop);
    expect(calls).toEqual([
      { delayMs: 2_000, periodMs: 2_000 },
      { delayMs: 1_500, periodMs: 2_000 },
    ]);
  });

  it('meters a backed-off retry on the mean of its jittered delay at that failure count', () => {
    const { schedule, calls } = retries({ policy: 'backoff', baseMs: 100, capMs: 1_000 });
    for (let i = 0; i < 6; i += 1) schedule.afterAttempt(noop);
    expect(calls.map((c) => c.periodMs)).toEqual([50, 100, 200, 400, 500, 500]);
    calls.length = 0;
    for (let i = 0; i < 2_000; i += 1) {
      schedule.reset();
      schedule.afterDelay(noop);
    }
    expect(new Set(calls.map((c) => c.periodMs))).toEqual(new Set([50]));
    const meanDelay = calls.reduce((sum, c) => sum + c.delayMs, 0) / calls.length;
    expect(meanDelay).toBeGreaterThan(47.5);
    expect(meanDelay).toBeLessThan(52.5);
  });
});

import { describe, expect, it } from 'vitest';
import { LoadMeter, OverloadGuard } from '../../../services/supernode/overload-guard.js';
import { SlidingWindowCounter } from '../../../services/common/sliding-window-counter.js';

function manualClock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('request rate', () => {
  it('counts events in the last second only', () => {
    const clock = manualClock();
    const counter = new SlidingWindowCounter(clock, 1_000, 10);
    for (let i = 0; i < 50; i += 1) counter.add();
    expect(counter.ratePerSecond()).toBe(50);
    clock.advance(500);
    for (let i = 0; i < 30; i += 1) counter.add();
    expect(counter.ratePerSecond()).toBe(80);
    clock.advance(600);
    expect(counter.ratePerSecond()).toBe(30);
    clock.advance(5_000);
    expect(counter.ratePerSecond()).toBe(0);
  });
});

describe('load', () => {
  it('is the larger of the session share and the request-rate share', () => {
    const clock = manualClock();
    const meter = new LoadMeter(clock, { sessions: 100, requestsPerSecond: 200 });
    expect(meter.load(50)).toBe(0.5);
    for (let i = 0; i < 300; i += 1) meter.recordRequest();
    expect(meter.load(50)).toBe(1.5);
    clock.advance(1_100);
    expect(meter.load(120)).toBe(1.2);
  });
});

describe('self-protection', () => {
  it('survives an episode shorter than the grace period once load has stayed calm for the calm period', () => {
    const clock = manualClock();
    const guard = new OverloadGuard(clock, 1.0, 2_000, 500);
    for (let t = 0; t < 1_900; t += 100) {
      expect(guard.observe(1.5).trip).toBe(false);
      clock.advance(100);
    }
    for (let t = 0; t <= 500; t += 100) {
      expect(guard.observe(0.9).trip).toBe(false);
      clock.advance(100);
    }
    // The calm period ended the episode: a new one starts its own grace period.
    for (let t = 0; t < 1_900; t += 100) {
      expect(guard.observe(3).trip).toBe(false);
      clock.advance(100);
    }
  });

  it('counts momentary dips shorter than the calm period as part of one sustained overload', () => {
    const clock = manualClock();
    const guard = new OverloadGuard(clock, 1.0, 2_000, 500);
    const readings = [1.2, 1.1, 0.95, 1.3, 0.9, 0.98, 1.05, 1.2, 0.99, 1.1];
    let tripped = false;
    for (let t = 0; t <= 2_000 && !tripped; t += 100) {
      const verdict = guard.observe(readings[(t / 100) % readings.length] ?? 1);
      tripped = verdict.trip;
      clock.advance(100);
    }
    expect(tripped).toBe(true);
  });

  it('never trips while load is at or below the threshold, even late in an episode', () => {
    const clock = manualClock();
    const guard = new OverloadGuard(clock, 1.0, 1_000, 5_000);
    expect(guard.observe(1.5).trip).toBe(false);
    clock.advance(2_000);
    expect(guard.observe(0.5).trip).toBe(false);
    clock.advance(100);
    expect(guard.observe(1.01).trip).toBe(true);
  });

  it('trips once load has stayed above the threshold for the whole grace period, saying why', () => {
    const clock = manualClock();
    const guard = new OverloadGuard(clock, 1.0, 2_000);
    expect(guard.observe(1.2).trip).toBe(false);
    clock.advance(1_999);
    expect(guard.observe(2.4).trip).toBe(false);
    clock.advance(1);
    const verdict = guard.observe(1.1);
    expect(verdict.trip).toBe(true);
    if (verdict.trip) expect(verdict.reason).toMatch(/load above 1 for 2000 ms \(peak 2\.40/);
  });

  it('never trips at exactly the threshold', () => {
    const clock = manualClock();
    const guard = new OverloadGuard(clock, 1.0, 0);
    expect(guard.observe(1.0).trip).toBe(false);
    expect(guard.observe(1.0001).trip).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { realClock } from '../../../harness/engine/clock.js';
import { createManualClock } from '../helpers/manual-clock.js';

describe('realClock', () => {
  it('sleeps for real and wakes early when the signal aborts', async () => {
    const start = realClock.now();
    await realClock.sleep(20);
    expect(realClock.now() - start).toBeGreaterThanOrEqual(19);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    const before = realClock.now();
    await realClock.sleep(10_000, controller.signal);
    expect(realClock.now() - before).toBeLessThan(1_000);
    await realClock.sleep(10_000, controller.signal);
  });
});

describe('createManualClock', () => {
  it('wakes sleepers in due order as time advances, and only then', async () => {
    const clock = createManualClock(100);
    const woke: [string, number][] = [];
    const sleeper = (name: string, ms: number) => clock.sleep(ms).then(() => void woke.push([name, clock.now()]));
    const all = Promise.all([sleeper('b', 50), sleeper('a', 20), sleeper('c', 500)]);
    expect(clock.pendingSleeps()).toBe(3);
    await clock.advance(60);
    expect(woke).toEqual([
      ['a', 120],
      ['b', 150],
    ]);
    expect(clock.now()).toBe(160);
    await clock.advance(440);
    await all;
    expect(woke.at(-1)).toEqual(['c', 600]);
    expect(clock.pendingSleeps()).toBe(0);
  });
});

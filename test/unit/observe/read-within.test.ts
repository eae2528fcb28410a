import { describe, expect, it } from 'vitest';
import { readWithin } from '../../../harness/observe/read-within.js';
import { createManualClock } from '../helpers/manual-clock.js';

describe('readWithin', () => {
  it('leaves a read that answered in time alone: its signal is never aborted', async () => {
    const clock = createManualClock();
    let seen: AbortSignal | undefined;
    const value = await readWithin(clock, 500, async (signal) => {
      seen = signal;
      return 42;
    });
    expect(value).toBe(42);
    expect(seen?.aborted).toBe(false);
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('aborts a read slower than the timeout and gives undefined', async () => {
    const clock = createManualClock();
    let seen: AbortSignal | undefined;
    const result = readWithin(clock, 500, (signal) => {
      seen = signal;
      return new Promise<number>(() => undefined);
    });
    await clock.advance(500);
    expect(await result).toBeUndefined();
    expect(seen?.aborted).toBe(true);
  });

  it('gives undefined for a read that throws', async () => {
    const clock = createManualClock();
    expect(await readWithin(clock, 500, () => Promise.reject(new Error('ECONNREFUSED')))).toBeUndefined();
  });
});

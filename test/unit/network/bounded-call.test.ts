import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { boundedCall } from '../../../harness/network/bounded-call.js';

const never = (): Promise<never> => new Promise<never>(() => undefined);

describe('boundedCall', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives up on a call that never answers after timeoutMs, naming the call and the try', async () => {
    const call = vi.fn(never);
    const result = boundedCall('remove toxic latency on any->om-0', call, { timeoutMs: 50, tries: 1 });
    const outcome = expect(result).rejects.toThrow('remove toxic latency on any->om-0: no answer within 50 ms (try 1 of 1)');
    await vi.advanceTimersByTimeAsync(49);
    expect(call).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await outcome;
  });

  it('tries up to `tries` times, 200 ms x try apart, and rethrows the last timeout', async () => {
    const call = vi.fn(never);
    const result = boundedCall('list proxies', call, { timeoutMs: 20, tries: 3 });
    const outcome = expect(result).rejects.toThrow('list proxies: no answer within 20 ms (try 3 of 3)');
    await vi.advanceTimersByTimeAsync(20 + 200);
    expect(call).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(20 + 400);
    expect(call).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(20);
    await outcome;
    // No further try after the last.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('returns the value when the second try succeeds', async () => {
    let tries = 0;
    const call = vi.fn(async () => {
      tries += 1;
      if (tries === 1) throw new Error('ECONNRESET');
      return 'proxies';
    });
    const result = boundedCall('list proxies', call, { timeoutMs: 20, tries: 3 });
    await vi.advanceTimersByTimeAsync(200);
    await expect(result).resolves.toBe('proxies');
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('returns the value of a slow but timely call', async () => {
    const call = (): Promise<number> => new Promise((resolve) => setTimeout(() => resolve(42), 30));
    const result = boundedCall('slow', call, { timeoutMs: 50, tries: 1 });
    await vi.advanceTimersByTimeAsync(30);
    await expect(result).resolves.toBe(42);
    // The timeout was cleared: nothing is left pending.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rethrows a final error at once, without retrying', async () => {
    const gone = Object.assign(new Error('404 not found'), { status: 404 });
    const call = vi.fn(() => Promise.reject(gone));
    const final = vi.fn((error: unknown) => error instanceof Error && 'status' in error && error.status === 404);
    const result = boundedCall('remove proxy', call, { timeoutMs: 20, tries: 3, final });
    await expect(result).rejects.toBe(gone);
    expect(call).toHaveBeenCalledTimes(1);
    expect(final).toHaveBeenCalledWith(gone);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('retries an error that is not final, and rethrows the last error itself', async () => {
    const errors = [new Error('first'), new Error('second')];
    let index = 0;
    const call = vi.fn(() => Promise.reject(errors[index++] ?? new Error('more')));
    const result = boundedCall('create proxy', call, { timeoutMs: 20, tries: 2, final: () => false });
    const outcome = expect(result).rejects.toBe(errors[1]);
    await vi.advanceTimersByTimeAsync(200);
    await outcome;
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('wraps a thrown value that is not an Error in one naming the call', async () => {
    const result = boundedCall('reset', () => Promise.reject(new Map([['status', 500]]) as unknown), { tries: 1 });
    await expect(result).rejects.toThrow(/^reset: /);
  });

  it('defaults to 3 tries of 5 s each', async () => {
    const call = vi.fn(never);
    const result = boundedCall('default', call);
    const outcome = expect(result).rejects.toThrow('default: no answer within 5000 ms (try 3 of 3)');
    await vi.advanceTimersByTimeAsync(5_000 + 200 + 5_000 + 400 + 5_000);
    await outcome;
    expect(call).toHaveBeenCalledTimes(3);
  });
});

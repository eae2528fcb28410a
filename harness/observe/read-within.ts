import type { Clock } from '../engine/clock.js';

// Made once: aborting with a reason of our own skips a DOMException (and its stack) per read.
const answered = new Error('the read answered in time');
const timedOut = new Error('the read did not answer in time');

/**
 * Runs `read` for at most `timeoutMs`: undefined when it throws or is too slow. A read that
 * answers in time is left alone, so its keep-alive connection stays reusable; only a slow one is
 * aborted (the sampler does thousands of reads a minute, and aborting each one cost a new
 * connection and an error object per read).
 */
export async function readWithin<T>(clock: Clock, timeoutMs: number, read: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
  const stopTimer = new AbortController();
  const stopRead = new AbortController();
  const timer = clock.sleep(timeoutMs, stopTimer.signal).then(() => {
    if (!stopTimer.signal.aborted) stopRead.abort(timedOut);
    return undefined;
  });
  try {
    return await Promise.race([read(stopRead.signal).catch(() => undefined), timer]);
  } finally {
    if (!stopRead.signal.aborted) stopTimer.abort(answered);
  }
}

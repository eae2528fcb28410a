import type { Clock } from '../../../harness/engine/clock.js';

interface PendingSleep {
  readonly due: number;
  readonly order: number;
  readonly resolve: () => void;
}

/** A clock that moves only when told to; for tests. */
export interface ManualClock extends Clock {
  /** Moves time forward, waking each sleeper in due order and letting its continuation run. */
  advance(ms: number): Promise<void>;
  /** Sleeps not yet woken. */
  pendingSleeps(): number;
}

const flushAsyncWork = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function createManualClock(start = 0): ManualClock {
  let current = start;
  let order = 0;
  let pending: PendingSleep[] = [];

  const wakeDue = (until: number): PendingSleep | undefined => {
    const next = pending
      .filter((sleep) => sleep.due <= until)
      .sort((a, b) => a.due - b.due || a.order - b.order)[0];
    if (next === undefined) return undefined;
    pending = pending.filter((sleep) => sleep !== next);
    return next;
  };

  return {
    now: () => current,
    sleep(ms, signal) {
      return new Promise<void>((resolve) => {
        if (signal?.aborted === true || ms <= 0) {
          resolve();
          return;
        }
        const onAbort = (): void => {
          pending = pending.filter((sleep) => sleep !== entry);
          resolve();
        };
        const entry: PendingSleep = {
          due: current + ms,
          order: order++,
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        pending.push(entry);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    async advance(ms) {
      const target = current + ms;
      await flushAsyncWork();
      for (let next = wakeDue(target); next !== undefined; next = wakeDue(target)) {
        current = Math.max(current, next.due);
        next.resolve();
        await flushAsyncWork();
      }
      current = target;
      await flushAsyncWork();
    },
    pendingSleeps: () => pending.length,
  };
}

/** Milliseconds on a monotonic clock; injected so time-based logic is tested without sleeping. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => performance.now() };

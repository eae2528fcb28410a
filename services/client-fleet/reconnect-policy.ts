import type { Random } from '../common/seeded-random.js';
import type { ReconnectPolicy } from './client-settings.js';

/**
 * Delay before reconnect attempt number `failures` (1 = the first retry after a loss).
 * `naive` waits its constant `intervalMs`; `backoff` is exponential with full jitter: uniform in [0, min(cap, base * 2^(failures-1))].
 */
export function reconnectDelay(policy: ReconnectPolicy, failures: number, random: Random): number {
  if (policy.policy === 'naive') return policy.intervalMs;
  return random.next() * backoffCeiling(policy, failures);
}

/** The mean of `reconnectDelay` at this failure count: the interval, or half the full-jitter ceiling. */
export function meanReconnectDelay(policy: ReconnectPolicy, failures: number): number {
  return policy.policy === 'naive' ? policy.intervalMs : backoffCeiling(policy, failures) / 2;
}

function backoffCeiling(policy: Extract<ReconnectPolicy, { policy: 'backoff' }>, failures: number): number {
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
}

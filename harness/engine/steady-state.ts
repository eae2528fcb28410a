import { ChaosError, errorMessage } from '../errors.js';
import type { Clock } from './clock.js';
import type { ProbeValues } from './probe-values.js';
import type { TimeScaleConverter } from '../scenario/time-scale.js';
import type { ProbeMetric, SteadyStateHypothesis } from '../scenario/types.js';

export interface SteadyStateReached {
  /** Mean of each probe over the window in which they all held. */
  readonly values: ProbeValues;
  /** Real milliseconds from the start of the wait until the hold completed. */
  readonly reachedAfterMs: number;
  readonly samples: number;
}

export interface SteadyStateOptions {
  readonly clock: Clock;
  readonly probe: () => Promise<ProbeValues>;
  readonly timeScale: TimeScaleConverter;
  readonly signal?: AbortSignal;
  /** Real milliseconds between probes (default 250). */
  readonly pollEveryMs?: number;
  /**
   * Clock time before which no hold starts: the clients' ramp-up is still logging them in, and a
   * baseline taken then would count those logins as steady load.
   */
  readonly notBefore?: number;
}

interface Seen {
  last: number | undefined;
  best: number | undefined;
}

/** Resolves once every probe holds together for `hold`; throws TIMEOUT naming what it saw after `within`. */
export async function waitForSteadyState(hypothesis: SteadyStateHypothesis, options: SteadyStateOptions): Promise<SteadyStateReached> {
  const { clock, signal } = options;
  const holdMs = options.timeScale.toRealMs(hypothesis.hold);
  const withinMs = options.timeScale.toRealMs(hypothesis.within);
  const pollMs = options.pollEveryMs ?? 250;
  const start = clock.now();
  const seen = new Map<ProbeMetric, Seen>(hypothesis.probes.map((p) => [p.metric, { last: undefined, best: undefined }]));
  let window: ProbeValues[] = [];
  let heldSince: number | undefined;
  let lastError: string | undefined;

  for (;;) {
    if (signal?.aborted === true) {
      throw new ChaosError('INTERRUPTED', 'interrupted while waiting for the steady state', { hint: 'run again when ready' });
    }
    const now = clock.now();
    let values: ProbeValues = {};
    try {
      values = await options.probe();
      lastError = undefined;
    } catch (error) {
      lastError = errorMessage(error);
    }
    for (const [metric, entry] of seen) {
      const value = values[metric];
      entry.last = value;
      if (value !== undefined) entry.best = Math.max(entry.best ?? value, value);
    }
    const holds = now >= (options.notBefore ?? Number.NEGATIVE_INFINITY) && lastError === undefined && hypothesis.probes.every((p) => (values[p.metric] ?? Number.NEGATIVE_INFINITY) >= p.atLeast);
    if (holds) {
      heldSince ??= now;
      window.push(values);
      if (now - heldSince >= holdMs) return { values: meanOf(window), reachedAfterMs: now - start, samples: window.length };
    } else {
      heldSince = undefined;
      window = [];
    }
    if (now - start >= withinMs) throw timeout(hypothesis, seen, withinMs, lastError);
    await clock.sleep(pollMs, signal);
  }
}

function meanOf(window: readonly ProbeValues[]): ProbeValues {
  const sums = new Map<ProbeMetric, { sum: number; n: number }>();
  for (const values of window) {
    for (const [metric, value] of Object.entries(values) as [ProbeMetric, number][]) {
      const entry = sums.get(metric) ?? { sum: 0, n: 0 };
      sums.set(metric, { sum: entry.sum + value, n: entry.n + 1 });
    }
  }
  return Object.fromEntries([...sums].map(([metric, { sum, n }]) => [metric, sum / n]));
}

function timeout(hypothesis: SteadyStateHypothesis, seen: ReadonlyMap<ProbeMetric, Seen>, withinMs: number, lastError: string | undefined): ChaosError {
  const format = (value: number | undefined): string => (value === undefined ? 'none' : value.toFixed(3));
  const details = hypothesis.probes.map((p) => {
    const entry = seen.get(p.metric);
    return `${p.metric}: last ${format(entry?.last)}, best ${format(entry?.best)} (needs >= ${p.atLeast} for ${hypothesis.hold})`;
  });
  if (lastError !== undefined) details.push(`last probe failed: ${lastError}`);
  return new ChaosError(
    'TIMEOUT',
    `the steady state did not hold for ${hypothesis.hold} within ${hypothesis.within} (${(withinMs / 1000).toFixed(1)}s real)`,
    { hint: "check the nodes' logs and capacity, or relax steadyState.probes / lengthen steadyState.within", details },
  );
}

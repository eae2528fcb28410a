import { ChaosError } from '../errors.js';
import { parseDuration } from './duration.js';
import type { Distribution, Duration, TimeScale } from './types.js';

const MS_PER_HOUR = 3_600_000;

/** Converts scenario time (the outage being reproduced) to real time and back. */
export interface TimeScaleConverter {
  /** Real milliseconds one scenario hour lasts. */
  readonly msPerScenarioHour: number;
  toRealMs(duration: Duration): number;
  toScenarioHours(realMs: number): number;
}

export function createTimeScale(timeScale: TimeScale): TimeScaleConverter {
  const msPerScenarioHour = parseDuration(timeScale.oneHour);
  if (!(msPerScenarioHour > 0)) {
    throw new ChaosError('INVALID_SCENARIO', `timeScale.oneHour "${timeScale.oneHour}" must be longer than zero`, {
      hint: 'state how long one scenario hour lasts in real time, e.g. "1.5s"',
    });
  }
  return timeScaleFromMsPerHour(msPerScenarioHour);
}

/** The same converter from the figure a history records in `run-start`. */
export function timeScaleFromMsPerHour(msPerScenarioHour: number): TimeScaleConverter {
  return {
    msPerScenarioHour,
    toRealMs: (duration) => (parseDuration(duration) / MS_PER_HOUR) * msPerScenarioHour,
    toScenarioHours: (realMs) => realMs / msPerScenarioHour,
  };
}

/** A distribution in real milliseconds, as the services' configs take it. */
export type RealDistribution =
  | { readonly kind: 'fixed'; readonly valueMs: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: 'exponential'; readonly meanMs: number; readonly maxMs?: number };

export function toRealDistribution(distribution: Distribution, scale: TimeScaleConverter): RealDistribution {
  switch (distribution.kind) {
    case 'fixed':
      return { kind: 'fixed', valueMs: scale.toRealMs(distribution.value) };
    case 'uniform':
      return { kind: 'uniform', minMs: scale.toRealMs(distribution.min), maxMs: scale.toRealMs(distribution.max) };
    case 'exponential': {
      const meanMs = scale.toRealMs(distribution.mean);
      return distribution.max === undefined ? { kind: 'exponential', meanMs } : { kind: 'exponential', meanMs, maxMs: scale.toRealMs(distribution.max) };
    }
  }
}

/** Draws one value (real ms) from a distribution with a uniform source in [0, 1). */
export function drawRealMs(distribution: RealDistribution, uniform: () => number): number {
  switch (distribution.kind) {
    case 'fixed':
      return distribution.valueMs;
    case 'uniform':
      return distribution.minMs + uniform() * (distribution.maxMs - distribution.minMs);
    case 'exponential': {
      const value = -Math.log(1 - uniform()) * distribution.meanMs;
      return distribution.maxMs === undefined ? value : Math.min(value, distribution.maxMs);
    }
  }
}

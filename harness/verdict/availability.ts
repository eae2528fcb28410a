import type { HistoryEvent } from '../observe/history-types.js';
import { onlineFraction, samplesUnderTest, steadyBaseline } from './history-series.js';

/** The lowest online fraction (of steady state) after the first fault, and when it was seen. */
export function measureOnlineLowPoint(events: readonly HistoryEvent[]): { readonly min: number; readonly at: number } {
  const baseline = steadyBaseline(events);
  const samples = samplesUnderTest(events);
  if (samples.length === 0) throw new Error('no sample after the first fault');
  let low = { min: Number.POSITIVE_INFINITY, at: 0 };
  for (const sample of samples) {
    const fraction = onlineFraction(sample, baseline);
    if (fraction < low.min) low = { min: fraction, at: sample.t };
  }
  return low;
}

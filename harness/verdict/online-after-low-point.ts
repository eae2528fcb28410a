import type { HistoryEvent } from '../observe/history-types.js';
import { measureOnlineLowPoint } from './availability.js';
import { onlineFraction, phaseWindow, samplesUnderTest, steadyBaseline } from './history-series.js';

/** The highest online fraction from the low point to the end of the timeline: did the network ever come back? */
export function measureOnlineAfterLowPoint(events: readonly HistoryEvent[]): { readonly max: number; readonly at: number; readonly lowAt: number } {
  const baseline = steadyBaseline(events);
  const low = measureOnlineLowPoint(events);
  const end = phaseWindow(events, 'timeline')?.to ?? Number.POSITIVE_INFINITY;
  let high = { max: low.min, at: low.at };
  for (const sample of samplesUnderTest(events)) {
    if (sample.t < low.at || sample.t > end) continue;
    const fraction = onlineFraction(sample, baseline);
    if (fraction > high.max) high = { max: fraction, at: sample.t };
  }
  return { ...high, lowAt: low.at };
}

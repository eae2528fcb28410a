import type { HistoryEvent } from '../observe/history-types.js';
import { onlineFraction, phaseWindow, samplesUnderTest, steadyBaseline } from './history-series.js';

export interface MeanOnline {
  /** Time-weighted mean online fraction (of steady state) from the first fault to the end of the timeline. */
  readonly mean: number;
  readonly from: number;
  readonly to: number;
}

/**
 * The online fraction averaged over time from the first fault to the end of the timeline: each
 * sample holds until the next one (the last until the timeline ends). A network that flaps, whole
 * for a while and gone again, averages low even though it reaches steady state between collapses.
 */
export function measureMeanOnline(events: readonly HistoryEvent[]): MeanOnline {
  const baseline = steadyBaseline(events);
  const end = phaseWindow(events, 'timeline')?.to ?? Number.POSITIVE_INFINITY;
  const samples = samplesUnderTest(events).filter((sample) => sample.t <= end);
  const first = samples[0];
  const last = samples.at(-1);
  if (first === undefined || last === undefined) throw new Error('no sample after the first fault');
  const to = Number.isFinite(end) ? end : last.t;
  if (to <= first.t) return { mean: onlineFraction(first, baseline), from: first.t, to };
  let weighted = 0;
  for (const [index, sample] of samples.entries()) {
    const next = samples[index + 1]?.t ?? to;
    weighted += onlineFraction(sample, baseline) * (next - sample.t);
  }
  return { mean: weighted / (to - first.t), from: first.t, to };
}

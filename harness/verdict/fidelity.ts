import type { HistoryEvent } from '../observe/history-types.js';
import { round } from './checker.js';
import { msPerScenarioHour, onlineFraction, phaseWindow, runStartOf, samplesOf, steadyBaseline, type SampleEvent } from './history-series.js';
import type { FidelityPoint } from './verdict-types.js';

/** Skype, December 2010: share of expected users online so many hours after T0 (skype-2010.md, fact 9). */
export const RECOVERY_2010: readonly { readonly atHours: number; readonly reference2010: number }[] = [
  { atHours: 20, reference2010: 0.3 },
  { atHours: 22, reference2010: 0.6 },
  { atHours: 27, reference2010: 0.8 },
  { atHours: 30, reference2010: 0.9 },
];

/** Every hour of the 2010 table with nothing measured. */
export function unmeasuredFidelity(): FidelityPoint[] {
  return RECOVERY_2010.map(({ atHours, reference2010 }) => ({ atHours, online: null, reference2010 }));
}

/**
 * Online clients (fraction of the steady-state baseline) at T0+20h, +22h, +27h and +30h, T0 being
 * the start of the timeline phase, beside 2010's recovery. Each takes the timeline's sample
 * nearest that time; an hour is null when the timeline ended (or its last sample came) more than
 * half a sampling interval before it. Throws when the history has no timeline, time scale or
 * steady state to measure against.
 */
export function measureFidelity(events: readonly HistoryEvent[]): FidelityPoint[] {
  const timeline = phaseWindow(events, 'timeline');
  if (timeline === undefined) throw new Error('the history has no timeline phase (T0)');
  const hourMs = msPerScenarioHour(events);
  const baseline = steadyBaseline(events);
  const samples = samplesOf(events).filter((s) => s.t >= timeline.from && s.t <= timeline.to);
  const slackMs = (runStartOf(events)?.definition.sampleEveryMs ?? 0) / 2;
  return RECOVERY_2010.map(({ atHours, reference2010 }) => {
    const sample = nearestSample(samples, timeline.from + atHours * hourMs, slackMs);
    return { atHours, online: sample === undefined ? null : round(onlineFraction(sample, baseline)), reference2010 };
  });
}

/** The sample nearest `at` (the earlier on a tie); undefined when the last one is more than `slackMs` before it. */
function nearestSample(samples: readonly SampleEvent[], at: number, slackMs: number): SampleEvent | undefined {
  const [first, last] = [samples[0], samples.at(-1)];
  if (first === undefined || last === undefined || last.t < at - slackMs) return undefined;
  return samples.reduce((best, s) => (Math.abs(s.t - at) < Math.abs(best.t - at) ? s : best), first);
}

import type { HistoryEvent } from '../observe/history-types.js';
import { fidelityUnitOf } from '../scenario/fidelity-units.js';
import type { FidelityMeasure, FidelityRow } from '../scenario/types.js';
import { round } from './checker.js';
import { msPerScenarioHour, onlineFraction, phaseWindow, realMsOf, runStartOf, samplesOf, steadyBaseline, type SampleEvent } from './history-series.js';
import type { FidelityFigure, RunSummary } from './verdict-types.js';

type Figures = Omit<RunSummary, 'fidelity'>;

/**
 * Each fidelity row with what the run measured: the figures the summary already holds, or the
 * timeline's samples for `online-at` and `hours-below`. A figure that cannot be measured is null.
 */
export function measureFidelity(events: readonly HistoryEvent[], rows: readonly FidelityRow[], summary: Figures): FidelityFigure[] {
  return rows.map((row) => ({
    quantity: row.quantity,
    published: row.published,
    expected: row.expected,
    measured: measuredOrNull(() => measureOne(events, row.measure, summary)),
    unit: fidelityUnitOf(row.measure),
  }));
}

function measuredOrNull(measure: () => number | null): number | null {
  try {
    const value = measure();
    return value === null || !Number.isFinite(value) ? null : round(value);
  } catch {
    return null;
  }
}

const shareOf = (part: number | null, whole: number | null): number | null => (part === null || whole === null || !(whole > 0) ? null : part / whole);

function measureOne(events: readonly HistoryEvent[], measure: FidelityMeasure, summary: Figures): number | null {
  switch (measure.of) {
    case 'online-at':
      return onlineAt(events, realMsOf(events, measure.at));
    case 'online-low-point':
      return summary.minOnlineFraction;
    case 'hours-below':
      return hoursBelow(events, measure.fraction);
    case 'recovery-hours':
      return summary.recoveryScenarioHours;
    case 'supernode-loss-direct':
      return shareOf(summary.supernodesLostDirect, summary.supernodesAtSteadyState);
    case 'supernode-loss-total':
      return shareOf(summary.supernodesLostTotal, summary.supernodesEverInNetwork);
    case 'cascade-amplification':
      return summary.cascadeAmplification;
  }
}

interface TimelineSamples {
  readonly from: number;
  readonly to: number;
  readonly samples: readonly SampleEvent[];
  readonly everyMs: number;
}

/** The timeline phase (from T0) and its samples; throws when the history has none to measure against. */
function timelineSamples(events: readonly HistoryEvent[]): TimelineSamples {
  const timeline = phaseWindow(events, 'timeline');
  if (timeline === undefined) throw new Error('the history has no timeline phase (T0)');
  const samples = samplesOf(events).filter((s) => s.t >= timeline.from && s.t <= timeline.to);
  return { ...timeline, samples, everyMs: runStartOf(events)?.definition.sampleEveryMs ?? 0 };
}

/**
 * Online share of steady state at the timeline sample nearest T0 + `afterMs` (the earlier on a tie);
 * null when the timeline ended (or its last sample came) more than half a sampling interval before.
 */
function onlineAt(events: readonly HistoryEvent[], afterMs: number): number | null {
  const { from, samples, everyMs } = timelineSamples(events);
  const baseline = steadyBaseline(events);
  const at = from + afterMs;
  const [first, last] = [samples[0], samples.at(-1)];
  if (first === undefined || last === undefined || last.t < at - everyMs / 2) return null;
  const nearest = samples.reduce((best, s) => (Math.abs(s.t - at) < Math.abs(best.t - at) ? s : best), first);
  return onlineFraction(nearest, baseline);
}

/**
 * Scenario hours of the timeline with the online share below `fraction`: each timeline sample below
 * it counts the interval to the next sample (the last, to the timeline's end, at most one interval).
 */
function hoursBelow(events: readonly HistoryEvent[], fraction: number): number {
  const { to, samples, everyMs } = timelineSamples(events);
  if (samples.length === 0) throw new Error('no sample in the timeline');
  const baseline = steadyBaseline(events);
  let belowMs = 0;
  samples.forEach((sample, index) => {
    if (onlineFraction(sample, baseline) >= fraction) return;
    const next = samples[index + 1]?.t ?? Math.min(to, sample.t + everyMs);
    belowMs += next - sample.t;
  });
  return belowMs / msPerScenarioHour(events);
}

import type { ArchitectureRepeat, FidelityStats, PassTally, RepeatDocument, RepeatRunEntry } from '../verdict/repeat-summary.js';
import { formatFidelityValue } from './format-values.js';

/** Wording shared by the terminal, HTML and JUnit forms of a repeat. */

/** `0.72-1.00`: a Wilson interval to two decimals. */
export function formatInterval(interval: readonly [number, number]): string {
  return `${interval[0].toFixed(2)}-${interval[1].toFixed(2)}`;
}

/** `8/10 passed`, then what was left out of the rate (`1 saturated`, `1 unknown`). */
export function formatPasses(tally: PassTally): string {
  return [`${tally.passes}/${tally.runs} passed`, ...leftOut(tally)].join(', ');
}

/** `10/10 passed, 95% CI 0.72-1.00`; with nothing judged, `0/0 passed, 3 saturated, no judged run`. */
export function formatTally(tally: PassTally): string {
  return `${formatPasses(tally)}, ${tally.runs === 0 ? 'no judged run' : `95% CI ${formatInterval(tally.wilson95)}`}`;
}

export function formatRate(tally: PassTally): string {
  return tally.rate === null ? '—' : `${Math.round(tally.rate * 100)}%`;
}

export function leftOut(tally: PassTally): string[] {
  return [...(tally.saturated > 0 ? [`${tally.saturated} saturated`] : []), ...(tally.unknown > 0 ? [`${tally.unknown} unknown`] : [])];
}

/** A run's verdict as the repeat reports it: a saturated run is unknown, whatever its targets said. */
export function runVerdictText(run: RepeatRunEntry): string {
  return run.saturated ? 'unknown: harness saturated' : run.verdict;
}

export type RepeatOutcome = 'pass' | 'fail' | 'unknown';

/** pass only when every run of every architecture passed; fail when any judged run failed. */
export function repeatOutcome(document: RepeatDocument): RepeatOutcome {
  const archs = document.repeat.architectures;
  if (archs.some((arch) => arch.met.fails > 0)) return 'fail';
  const allPass = archs.length > 0 && archs.every((arch) => arch.met.runs > 0 && arch.met.passes === arch.runs.length);
  return allPass ? 'pass' : 'unknown';
}

/** One line on the whole repeat. */
export function repeatOutcomeText(document: RepeatDocument): string {
  const archs = document.repeat.architectures;
  const outcome = repeatOutcome(document);
  const stopped = document.repeat.stoppedEarly ? ` (stopped after ${document.repeat.count} of ${document.repeat.requested} runs)` : '';
  if (outcome === 'pass') return `✔ every run met its expectation: ${document.repeat.count} runs × ${archs.length} architecture${archs.length === 1 ? '' : 's'}${stopped}`;
  if (outcome === 'fail') return `✘ expectation missed: ${archs.filter((a) => a.met.fails > 0).map(missedText).join('; ')}${stopped}`;
  const unknown = archs.map((a) => `${a.architecture} ${leftOut(a.met).join(', ') || 'no run'}`).join('; ');
  return `? not every run could be judged: ${archs.length === 0 ? 'no architecture ran' : unknown}${stopped}`;
}

function missedText(arch: ArchitectureRepeat): string {
  return `${arch.architecture} in ${arch.met.fails} of ${arch.met.runs} runs (seeds ${arch.met.failingSeeds.join(', ')})`;
}

/** A fidelity row over the runs as every repeat report shows it: the expected number and the spread of what was measured. */
export function fidelitySpread(row: FidelityStats): { readonly expected: string; readonly min: string; readonly median: string; readonly max: string; readonly leftOut: string } {
  return {
    expected: formatFidelityValue(row.expected, row.unit),
    min: formatFidelityValue(row.min, row.unit),
    median: formatFidelityValue(row.median, row.unit),
    max: formatFidelityValue(row.max, row.unit),
    leftOut: [...(row.nulls > 0 ? [`${row.nulls} not measured`] : []), ...(row.saturated > 0 ? [`${row.saturated} saturated`] : [])].join(', '),
  };
}

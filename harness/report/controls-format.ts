import type { ControlOutcome, ControlRunEntry, ControlsSection, ControlSummary, MustBreakResult } from '../controls/control-types.js';
import { controlsOutcome } from '../controls/summarize-controls.js';
import type { CheckOutcome } from '../verdict/verdict-types.js';
import { formatMeasured } from './format-values.js';

/** Wording shared by the terminal, HTML and JUnit forms of the negative controls. */

export function controlMark(outcome: ControlOutcome): string {
  return outcome === 'caught' ? '✔' : outcome === 'missed' ? '✘' : '?';
}

/** A caught control reads as a pass of the gate, a missed one as its failure. */
export function controlCheckOutcome(outcome: ControlOutcome): CheckOutcome {
  return outcome === 'caught' ? 'pass' : outcome === 'missed' ? 'fail' : 'unknown';
}

/** `2/3 caught` */
export function caughtText(control: Pick<ControlSummary, 'caught' | 'requested'>): string {
  return `${control.caught}/${control.requested} caught`;
}

/** One target's value in a run: the value when it broke as it must, else the value and what the target did. */
function targetValueText(target: MustBreakResult): string {
  if (target.outcome === 'absent') return 'absent';
  const value = formatMeasured(target.measured);
  return target.outcome === 'fail' ? value : `${value} (${target.outcome})`;
}

/** The run's values of the targets the control must break, in the order of `mustBreak`: `12.5, 0.41 (pass)`. */
export function runValuesText(run: Pick<ControlRunEntry, 'targets' | 'saturated'>): string {
  return `${run.targets.map(targetValueText).join(', ')}${run.saturated ? ' (saturated)' : ''}`;
}

/** `#1 seed 111: missed: held recovery time 2.1 (wanted <= 10h)` */
export function runReasonText(run: ControlRunEntry, index: number): string {
  return `#${index} seed ${run.seed}: ${run.outcome}: ${run.reason}`;
}

/** One line on every control. */
export function controlsOutcomeText(section: ControlsSection): string {
  const { controls } = section;
  const stopped = section.stoppedEarly ? ' (stopped early: runs not made count as unknown)' : '';
  if (controls.length === 0) return `no negative control ran${section.skipped.length > 0 ? ` (${section.skipped.length} on an architecture not selected with --arch)` : ''}`;
  const outcome = controlsOutcome(section);
  const runs = `${section.requested} run${section.requested === 1 ? '' : 's'} each`;
  if (outcome === 'caught') return `✔ every negative control caught: ${controls.length} control${controls.length === 1 ? '' : 's'}, ${runs}${stopped}`;
  const listed = (wanted: ControlOutcome): string =>
    controls
      .filter((control) => control.outcome === wanted)
      .map((control) => `${control.name} (${caughtText(control)})`)
      .join(', ');
  if (outcome === 'missed') return `✘ negative control missed: ${listed('missed')}: the gate passes a sabotaged system${stopped}`;
  return `? negative controls not all judged: ${listed('unknown')}${stopped}`;
}

/** How many controls ran and how each ended: `3 negative controls: 1 caught, 1 missed, 1 unknown`. */
export function controlsTallyText(section: ControlsSection): string {
  const { controls } = section;
  const count = (outcome: ControlOutcome): number => controls.filter((control) => control.outcome === outcome).length;
  return `${controls.length} negative control${controls.length === 1 ? '' : 's'}: ${count('caught')} caught, ${count('missed')} missed, ${count('unknown')} unknown`;
}

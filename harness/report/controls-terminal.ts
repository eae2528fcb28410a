import Table from 'cli-table3';
import pc from 'picocolors';
import type { ControlOutcome, ControlsSection, ControlSummary } from '../controls/control-types.js';
import { controlsOutcome } from '../controls/summarize-controls.js';
import { checkNameOf } from '../controls/target-check-names.js';
import { caughtText, controlMark, controlsOutcomeText, runReasonText, runValuesText } from './controls-format.js';
import { fitWidth } from './verdict-line.js';

type Colors = ReturnType<typeof pc.createColors>;

/** The terminal the controls table is drawn for: every line fits. */
export const CONTROLS_TERMINAL_WIDTH = 120;

/** Column widths, borders included in none: 6 columns and 7 borders make 120. */
const COLUMN_WIDTHS = [18, 11, 26, 22, 22, 14];

/**
 * The negative controls: one row per control (what it sabotages, the targets it must break, their
 * values per run, caught / missed / unknown with `k/K caught`), why each run that was not caught
 * was not, and one line on them all.
 */
export function renderControlsTerminal(section: ControlsSection, options: { readonly color: boolean; readonly scenario?: string }): string {
  const c = pc.createColors(options.color);
  const of = options.scenario === undefined ? '' : ` of ${options.scenario}`;
  const header = c.bold(fitWidth(`negative controls${of}: ${section.requested} run${section.requested === 1 ? '' : 's'} each, seeds ${section.seeds.join(', ')}`, CONTROLS_TERMINAL_WIDTH));
  const lines = [header];
  if (section.controls.length > 0) lines.push(controlsTable(section, c));
  for (const control of section.controls) {
    control.runs.forEach((run, index) => {
      if (run.outcome !== 'caught') lines.push(paint(c, run.outcome, fitWidth(`${control.name} ${runReasonText(run, index)}`, CONTROLS_TERMINAL_WIDTH)));
    });
  }
  for (const skipped of section.skipped) lines.push(c.dim(fitWidth(`not run: ${skipped.name} (${skipped.reason})`, CONTROLS_TERMINAL_WIDTH)));
  if (section.controls.length > 0) lines.push(c.dim("each control run's own reports: controls/<control>/run-<#>-seed-<seed>/"));
  lines.push(paint(c, section.controls.length === 0 ? 'unknown' : controlsOutcome(section), fitWidth(controlsOutcomeText(section), CONTROLS_TERMINAL_WIDTH)));
  return lines.join('\n');
}

function paint(c: Colors, outcome: ControlOutcome, text: string): string {
  return outcome === 'caught' ? c.green(text) : outcome === 'missed' ? c.red(text) : c.yellow(text);
}

function controlsTable(section: ControlsSection, c: Colors): string {
  const table = new Table({
    head: ['control', 'arch', 'sabotages', 'must break', 'measured', 'result'].map((title) => c.dim(title)),
    colWidths: COLUMN_WIDTHS,
    wordWrap: true,
    style: { head: [], border: [], compact: true },
  });
  for (const control of section.controls) table.push(row(control, section.requested, c));
  return table.toString();
}

function row(control: ControlSummary, requested: number, c: Colors): string[] {
  const numbered = requested > 1;
  const measured = control.runs.map((run, index) => `${numbered ? `#${index} ` : ''}${runValuesText(run)}`);
  return [
    control.name,
    control.architecture,
    control.sabotages,
    control.mustBreak.map(checkNameOf).join('\n'),
    measured.length === 0 ? 'no run' : measured.join('\n'),
    paint(c, control.outcome, `${controlMark(control.outcome)} ${control.outcome}\n${caughtText(control)}`),
  ];
}

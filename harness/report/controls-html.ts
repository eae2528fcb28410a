import type { ControlRunEntry, ControlsSection, ControlSummary } from '../controls/control-types.js';
import { controlsOutcome } from '../controls/summarize-controls.js';
import { checkNameOf } from '../controls/target-check-names.js';
import { caughtText, controlCheckOutcome, controlMark, controlsOutcomeText, runValuesText } from './controls-format.js';
import { escapeHtml as esc } from './html-escape.js';

/**
 * The negative controls as a section of report.html (a single run's or a repeat's): one row per
 * control, each run's values linked to that run's own report, the outcome with `k/K caught`.
 */
export function renderControlsHtml(section: ControlsSection): string {
  const overall = section.controls.length === 0 ? 'unknown' : controlCheckOutcome(controlsOutcome(section));
  const rows = section.controls.map(controlRow).join('\n');
  const skipped = section.skipped.map((control) => `<li>${esc(`${control.name} (${control.architecture}): ${control.reason}`)}</li>`).join('');
  return `<section class="controls" aria-label="negative controls">
<h2 class="section">Negative controls</h2>
<p class="legend">Each control runs the scenario on a sabotaged system; it is caught when every target it must break fails while the harness delivered its load. ${esc(`${section.requested} run${section.requested === 1 ? '' : 's'} each, seeds ${section.seeds.join(', ')}.`)}</p>
<div class="overall ${overall}" data-controls="${overall}">${esc(controlsOutcomeText(section))}</div>
<table class="controls"><thead><tr><th>control</th><th>architecture</th><th>sabotages</th><th>must break</th><th>measured</th><th>result</th></tr></thead><tbody>
${rows}
</tbody></table>
${skipped === '' ? '' : `<p>not run:</p><ul class="skipped">${skipped}</ul>`}
</section>`;
}

function controlRow(control: ControlSummary): string {
  const outcome = controlCheckOutcome(control.outcome);
  const set = Object.entries(control.set)
    .map(([path, value]) => `<br><code>${esc(`${path} = ${JSON.stringify(value)}`)}</code>`)
    .join('');
  const mustBreak = control.mustBreak.map((key) => esc(checkNameOf(key))).join('<br>');
  const runs = control.runs.length === 0 ? 'no run' : control.runs.map(runLine).join('<br>');
  return `<tr class="${outcome}" data-control="${esc(control.name)}" data-outcome="${control.outcome}"><td>${esc(control.name)}</td><td>${esc(control.architecture)}</td><td>${esc(control.sabotages)}${set}</td><td>${mustBreak}</td><td class="num">${runs}</td><td class="verdict">${controlMark(control.outcome)} ${control.outcome}<br>${esc(caughtText(control))}</td></tr>`;
}

function runLine(run: ControlRunEntry, index: number): string {
  return `<a href="${esc(`${run.dir}/report.html`)}" title="${esc(`seed ${run.seed}: ${run.outcome}: ${run.reason}`)}">#${index}</a> ${esc(runValuesText(run))}`;
}

import type { create } from 'xmlbuilder2';
import type { ControlsSection, ControlSummary } from '../controls/control-types.js';
import { caughtText, runReasonText, runValuesText } from './controls-format.js';
import { xmlText } from './xml-text.js';

type XMLBuilder = ReturnType<typeof create>;

export interface ControlsJunitCounts {
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
}

/** One case per control run or skipped: a missed control is a failure, an unknown one an error, one not run (--arch) skipped. */
export function controlsJunitCounts(section: ControlsSection | undefined): ControlsJunitCounts {
  if (section === undefined) return { tests: 0, failures: 0, errors: 0, skipped: 0 };
  return {
    tests: section.controls.length + section.skipped.length,
    failures: section.controls.filter((control) => control.outcome === 'missed').length,
    errors: section.controls.filter((control) => control.outcome === 'unknown').length,
    skipped: section.skipped.length,
  };
}

/**
 * The testsuite `<scenario>.controls`: one testcase per negative control, named with how many of its
 * runs were caught. Missed is a `<failure>` (the gate passed a sabotaged system), unknown an
 * `<error>` (CI never shows it green), a control not run `<skipped>`.
 */
export function addControlsSuite(root: XMLBuilder, scenario: string, section: ControlsSection, timestamp: string): void {
  const classname = xmlText(`${scenario}.controls`);
  const suite = root.ele('testsuite', { name: classname, ...controlsJunitCounts(section), timestamp: xmlText(timestamp) });
  const properties = suite.ele('properties');
  for (const [name, value] of Object.entries({ scenario, runs: String(section.requested), seeds: section.seeds.join(' ') })) {
    properties.ele('property', { name, value: xmlText(value) });
  }
  for (const control of section.controls) addControlCase(suite, classname, control);
  for (const skipped of section.skipped) {
    suite.ele('testcase', { classname, name: xmlText(`${skipped.name} (${skipped.architecture})`) }).ele('skipped', { message: xmlText(`not run: ${skipped.reason}`) });
  }
}

function addControlCase(suite: XMLBuilder, classname: string, control: ControlSummary): void {
  const testcase = suite.ele('testcase', { classname, name: xmlText(`${control.name} (${control.architecture}: ${caughtText(control)})`) });
  const perRun = control.runs.map((run, index) => `${runReasonText(run, index)}; values ${runValuesText(run)}; reports ${run.dir}`).join('\n');
  const about = `${control.sabotages}; must break ${control.mustBreak.join(', ')}`;
  if (control.outcome === 'missed') {
    const missed = control.runs.filter((run) => run.outcome === 'missed').map((run) => run.seed);
    const message = `${control.name} missed on seed${missed.length === 1 ? '' : 's'} ${missed.join(', ')}: the gate passed a system that was sabotaged (${control.sabotages})`;
    testcase.ele('failure', { message: xmlText(message), type: 'control-missed' }).txt(xmlText(perRun));
  } else if (control.outcome === 'unknown') {
    const message = `${control.name} could not be judged: ${caughtText(control)}, ${control.runs.length} of ${control.requested} runs made`;
    testcase.ele('error', { message: xmlText(message), type: 'control-unknown' }).txt(xmlText(perRun || 'no run made'));
  }
  testcase.ele('system-out').txt(xmlText(`${about}\n${perRun}`));
}

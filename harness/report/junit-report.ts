import { writeFile } from 'node:fs/promises';
import { create } from 'xmlbuilder2';
import { addControlsSuite, controlsJunitCounts } from './controls-junit.js';
import { xmlText as clean } from './xml-text.js';
import type { ArchitectureVerdict, RunReport, TargetResult } from '../verdict/verdict-types.js';
import { formatMeasured, interruptionNote } from './format-values.js';
import { runHealthFigures } from './run-health-figures.js';

/**
 * JUnit XML for CI: one testsuite per architecture, one testcase per target plus one for the
 * expectation. A failed target is a `<failure>`; a target nobody could measure is `<skipped>`;
 * an expectation whose verdict is unknown is an `<error>`, so CI never shows it green. With
 * `--controls`, one more testsuite holds a testcase per negative control.
 */
export function renderJunit(report: RunReport): string {
  const suites = report.runs.map((run) => ({ run, counts: countsOf(run) }));
  const total = suites.reduce(
    (sum, { counts }) => ({
      tests: sum.tests + counts.tests,
      failures: sum.failures + counts.failures,
      errors: sum.errors + counts.errors,
      skipped: sum.skipped + counts.skipped,
    }),
    controlsJunitCounts(report.controls),
  );
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', {
    name: clean(report.scenario),
    tests: total.tests,
    failures: total.failures,
    errors: total.errors,
    skipped: total.skipped,
  });
  for (const { run, counts } of suites) {
    const classname = clean(`${report.scenario}.${run.architecture}`);
    const suite = root.ele('testsuite', {
      name: classname,
      tests: counts.tests,
      failures: counts.failures,
      errors: counts.errors,
      skipped: counts.skipped,
      timestamp: clean(report.generatedAt),
    });
    const properties = suite.ele('properties');
    const props: Record<string, string> = {
      scenario: report.scenario,
      architecture: run.architecture,
      expectation: run.expectation,
      seed: String(report.seed),
      platform: report.platform,
      'run-outcome': run.outcome,
      ...(run.interruptedDuring === undefined ? {} : { 'interrupted-during': run.interruptedDuring }),
      ...Object.fromEntries(runHealthFigures(run).map((figure) => [propertyName(figure.label), figure.value])),
    };
    for (const [name, value] of Object.entries(props)) properties.ele('property', { name, value: clean(value) });
    for (const target of run.targets) addTargetCase(suite, classname, target);
    addExpectationCase(suite, classname, run);
  }
  if (report.controls !== undefined) addControlsSuite(root, report.scenario, report.controls, report.generatedAt);
  return root.end({ prettyPrint: true });
}

export async function writeJunitReport(file: string, report: RunReport): Promise<string> {
  await writeFile(file, `${renderJunit(report)}\n`, 'utf8');
  return file;
}

type XMLBuilder = ReturnType<typeof create>;

function countsOf(run: ArchitectureVerdict): { tests: number; failures: number; errors: number; skipped: number } {
  const failedTargets = run.targets.filter((t) => t.outcome === 'fail').length;
  const unknownTargets = run.targets.filter((t) => t.outcome === 'unknown').length;
  return {
    tests: run.targets.length + 1,
    failures: failedTargets + (run.verdict === 'fail' ? 1 : 0),
    errors: run.verdict === 'unknown' ? 1 : 0,
    skipped: unknownTargets,
  };
}

function addTargetCase(suite: XMLBuilder, classname: string, target: TargetResult): void {
  const testcase = suite.ele('testcase', { classname, name: clean(target.name) });
  const measuredVsTarget = `measured ${formatMeasured(target.measured)}, target ${target.target}`;
  if (target.outcome === 'fail') {
    testcase.ele('failure', { message: clean(measuredVsTarget), type: 'target-missed' }).txt(clean(target.detail ?? measuredVsTarget));
  } else if (target.outcome === 'unknown') {
    testcase.ele('skipped', { message: clean(`unknown: ${target.detail ?? measuredVsTarget}`) });
  }
  testcase.ele('system-out').txt(clean(`${measuredVsTarget}${target.detail === undefined ? '' : `\n${target.detail}`}`));
}

function addExpectationCase(suite: XMLBuilder, classname: string, run: ArchitectureVerdict): void {
  const testcase = suite.ele('testcase', { classname, name: clean(`expectation: ${run.expectation}`) });
  const judged = run.targets.map((t) => `${t.name}: ${t.outcome}`).join('\n');
  const note = interruptionNote(run);
  if (run.verdict === 'fail') {
    const missed = run.targets.filter((t) => t.outcome === 'fail').map((t) => t.name);
    testcase
      .ele('failure', { message: clean(`${run.architecture} does not meet "${run.expectation}"${missed.length > 0 ? `: ${missed.join(', ')}` : ''}`), type: 'expectation-not-met' })
      .txt(clean(judged));
  } else if (run.verdict === 'unknown') {
    testcase
      .ele('error', { message: clean(`${run.architecture}: "${run.expectation}" could not be judged (run ${run.outcome})`), type: 'verdict-unknown' })
      .txt(clean(judged));
  }
  if (note !== undefined) testcase.ele('system-out').txt(clean(`${run.architecture}: ${note}`));
}

/** `nodes failed (not cascade)` -> `nodes-failed-not-cascade` */
const propertyName = (label: string): string => label.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '');

import { writeFile } from 'node:fs/promises';
import { create } from 'xmlbuilder2';
import { renderControlsOnlyJunit } from './controls-only-junit.js';
import type { IndexDocument, IndexScenarioEntry, ScenarioResults } from './index-report-types.js';
import { renderJunit } from './junit-report.js';
import { renderRepeatJunit } from './repeat-junit.js';
import { xmlText } from './xml-text.js';

type XMLBuilder = ReturnType<typeof create>;

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/**
 * The JUnit XML of `chaos run --all`: one testsuite per scenario holding the test cases of that
 * scenario's own junit.xml (each architecture's targets and expectation, its controls), taken from
 * the XML its own writer renders. A scenario that stopped with an error is one `<error>` case, one that
 * never ran one `<skipped>` case, so CI shows every scenario of the library.
 */
export function renderIndexJunit(document: IndexDocument, results: ReadonlyMap<string, ScenarioResults>): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', { name: 'scenario library' });
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const entry of document.scenarios) {
    const scenarioResults = results.get(entry.scenario);
    const counts = addScenarioSuite(root, entry, scenarioResults === undefined ? undefined : scenarioJunit(scenarioResults));
    for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += counts[key];
  }
  for (const [name, value] of Object.entries(total)) root.att(name, String(value));
  return root.end({ prettyPrint: true });
}

export async function writeIndexJunit(file: string, document: IndexDocument, results: ReadonlyMap<string, ScenarioResults>): Promise<string> {
  await writeFile(file, `${renderIndexJunit(document, results)}\n`, 'utf8');
  return file;
}

/** The scenario's own junit.xml, as its writer renders it. */
function scenarioJunit(results: ScenarioResults): string {
  if (results.kind === 'run') return renderJunit(results.report);
  if (results.kind === 'repeat') return renderRepeatJunit(results.document);
  return renderControlsOnlyJunit(results.document);
}

function addScenarioSuite(root: XMLBuilder, entry: IndexScenarioEntry, ownJunit: string | undefined): Counts {
  const suite = root.ele('testsuite', { name: xmlText(entry.scenario) });
  const properties = suite.ele('properties');
  const props: Record<string, string> = {
    scenario: entry.scenario,
    status: entry.status,
    verdict: entry.verdict,
    ...(entry.exitCode === null ? {} : { 'exit-code': String(entry.exitCode) }),
    ...(entry.seed === null ? {} : { seed: String(entry.seed) }),
    ...(entry.reason === undefined ? {} : { reason: entry.reason }),
    ...(entry.reports === null ? {} : { report: entry.reports.html }),
  };
  for (const [name, value] of Object.entries(props)) properties.ele('property', { name, value: xmlText(value) });
  const cases = ownJunit === undefined ? [] : create(ownJunit).root().filter((node) => nameOf(node) === 'testcase', false, true);
  for (const testcase of cases) suite.import(testcase);
  if (cases.length === 0) addStandInCase(suite, entry);
  const counts = countCases(suite);
  for (const [name, value] of Object.entries(counts)) suite.att(name, String(value));
  if (entry.wallSeconds !== null) suite.att('time', entry.wallSeconds.toFixed(3));
  return counts;
}

/** A scenario with no case of its own: an error when it stopped with one, else skipped. */
function addStandInCase(suite: XMLBuilder, entry: IndexScenarioEntry): void {
  const testcase = suite.ele('testcase', { classname: xmlText(entry.scenario), name: xmlText(`${entry.scenario}: ${entry.status}`) });
  const reason = xmlText(entry.reason ?? entry.status);
  if (entry.status === 'error') testcase.ele('error', { message: reason, type: 'scenario-error' }).txt(reason);
  else testcase.ele('skipped', { message: reason });
}

function countCases(suite: XMLBuilder): Counts {
  const cases = suite.filter((node) => nameOf(node) === 'testcase');
  const having = (child: string): number => cases.filter((testcase) => testcase.find((node) => nameOf(node) === child) !== undefined).length;
  return { tests: cases.length, failures: having('failure'), errors: having('error'), skipped: having('skipped') };
}

const nameOf = (node: XMLBuilder): string => node.node.nodeName;

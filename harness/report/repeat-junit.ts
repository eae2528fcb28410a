import { writeFile } from 'node:fs/promises';
import { create } from 'xmlbuilder2';
import { addControlsSuite, controlsJunitCounts } from './controls-junit.js';
import { xmlText as clean } from './xml-text.js';
import type { ArchitectureRepeat, PassTally, RepeatDocument } from '../verdict/repeat-summary.js';
import { formatTally, leftOut } from './repeat-format.js';

type XMLBuilder = ReturnType<typeof create>;

interface Counts {
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
}

/**
 * JUnit XML of a repeat: one testsuite per architecture, one testcase per target named with its
 * pass rate (`availability floor (10/10 passed, 95% CI 0.72-1.00)`), plus one for the
 * expectation. A target that failed in any run is a `<failure>` listing the failing seeds; one
 * that no run could judge (saturated or unknown) is `<skipped>`; an expectation some run could not
 * judge is an `<error>`, so CI never shows it green. With `--controls`, one more testsuite holds a
 * testcase per negative control.
 */
export function renderRepeatJunit(document: RepeatDocument): string {
  const suites = document.repeat.architectures.map((arch) => ({ arch, counts: countsOf(arch) }));
  const sum = (key: keyof Counts): number => suites.reduce((total, { counts }) => total + counts[key], controlsJunitCounts(document.controls)[key]);
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', {
    name: clean(`${document.scenario} (repeat ${document.repeat.count})`),
    tests: sum('tests'),
    failures: sum('failures'),
    errors: sum('errors'),
    skipped: sum('skipped'),
  });
  for (const { arch, counts } of suites) {
    const classname = clean(`${document.scenario}.${arch.architecture}`);
    const suite = root.ele('testsuite', { name: classname, ...counts, timestamp: clean(document.generatedAt) });
    const properties = suite.ele('properties');
    const props: Record<string, string> = {
      scenario: document.scenario,
      architecture: arch.architecture,
      expectation: arch.expectation,
      platform: document.platform,
      runs: String(arch.runs.length),
      'base-seed': String(document.repeat.baseSeed),
      seeds: arch.runs.map((run) => run.seed).join(' '),
    };
    for (const [name, value] of Object.entries(props)) properties.ele('property', { name, value: clean(value) });
    for (const target of arch.targets) addTargetCase(suite, classname, target, arch);
    addExpectationCase(suite, classname, arch);
  }
  if (document.controls !== undefined) addControlsSuite(root, document.scenario, document.controls, document.generatedAt);
  return root.end({ prettyPrint: true });
}

export async function writeRepeatJunit(file: string, document: RepeatDocument): Promise<string> {
  await writeFile(file, `${renderRepeatJunit(document)}\n`, 'utf8');
  return file;
}

const onlyUnjudged = (tally: PassTally): boolean => tally.runs === 0;

function countsOf(arch: ArchitectureRepeat): Counts {
  const met = arch.met;
  return {
    tests: arch.targets.length + 1,
    failures: arch.targets.filter((t) => t.fails > 0).length + (met.fails > 0 ? 1 : 0),
    errors: met.fails === 0 && met.saturated + met.unknown > 0 ? 1 : 0,
    skipped: arch.targets.filter(onlyUnjudged).length,
  };
}

function seedList(tally: PassTally, arch: ArchitectureRepeat): string {
  return tally.failingSeeds.map((seed) => `seed ${seed}${dirOf(arch, seed)}`).join('\n');
}

function dirOf(arch: ArchitectureRepeat, seed: number): string {
  const dir = arch.runs.find((run) => run.seed === seed)?.dir;
  return dir === undefined ? '' : ` (${dir})`;
}

function addTargetCase(suite: XMLBuilder, classname: string, tally: PassTally, arch: ArchitectureRepeat): void {
  const testcase = suite.ele('testcase', { classname, name: clean(`${tally.name} (${formatTally(tally)})`) });
  if (tally.fails > 0) {
    const message = `failed in ${tally.fails} of ${tally.runs} runs: seeds ${tally.failingSeeds.join(', ')}`;
    testcase.ele('failure', { message: clean(message), type: 'target-missed' }).txt(clean(seedList(tally, arch)));
  } else if (onlyUnjudged(tally)) {
    testcase.ele('skipped', { message: clean(`unknown in every run: ${leftOut(tally).join(', ') || 'no run'}`) });
  }
  testcase.ele('system-out').txt(clean(formatTally(tally)));
}

function addExpectationCase(suite: XMLBuilder, classname: string, arch: ArchitectureRepeat): void {
  const met = arch.met;
  const testcase = suite.ele('testcase', { classname, name: clean(`expectation: ${arch.expectation} (${formatTally(met)})`) });
  const perRun = arch.runs.map((run) => `seed ${run.seed}: ${run.saturated ? 'unknown: harness saturated' : run.verdict}`).join('\n');
  if (met.fails > 0) {
    const message = `${arch.architecture} does not meet "${arch.expectation}" in ${met.fails} of ${met.runs} runs: seeds ${met.failingSeeds.join(', ')}`;
    testcase.ele('failure', { message: clean(message), type: 'expectation-not-met' }).txt(clean(perRun));
  } else if (met.saturated + met.unknown > 0) {
    const type = met.unknown === 0 ? 'harness-saturated' : 'verdict-unknown';
    const message = `${arch.architecture}: "${arch.expectation}" could not be judged in ${met.saturated + met.unknown} of ${arch.runs.length} runs (${leftOut(met).join(', ')})`;
    testcase.ele('error', { message: clean(message), type }).txt(clean(perRun));
  }
}

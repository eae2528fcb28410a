import { writeFile } from 'node:fs/promises';
import { create } from 'xmlbuilder2';
import { formatTally, leftOut } from '../report/repeat-format.js';
import { formatJudgedTally, judgedTally } from './holds-when.js';
import { pointsByValue, type SweepDocument, type SweepPointEntry } from './sweep-document.js';
import { formatParamValue } from './sweep-margin.js';
import { scaledNote } from './sweep-scale.js';

type XMLBuilder = ReturnType<typeof create>;

/**
 * JUnit XML of a sweep: one testsuite, one testcase per point, by value, named with the value and its
 * count (`clientsPerFleet = 400 clients a fleet (3/3 passed, 95% CI 0.44-1.00)`; `3/3 delivered` under
 * `--holds-when delivered`), and the values of the `--scale-with` fields it set (`supernodes = 64
 * supernodes (clientsPerFleet 200, standbyPeers 16) (…)`). A point that breaks is a `<failure>` naming the seeds that missed (that
 * saturated, under `delivered`); a saturated or unknown point is `<skipped>`. The margin and the rule a
 * point holds by (and the `--scale-with` fields) are properties of the suite.
 */
export function renderSweepJunit(document: SweepDocument): string {
  const { sweep } = document;
  const points = pointsByValue(document);
  const classname = clean(`${document.scenario}.${sweep.architecture}.sweep`);
  const counts = {
    tests: points.length,
    failures: points.filter((point) => point.status === 'breaks').length,
    errors: 0,
    skipped: points.filter((point) => point.status === 'saturated' || point.status === 'unknown').length,
  };
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', { name: clean(`${document.scenario} sweep of ${sweep.param.path}`), ...counts });
  const suite = root.ele('testsuite', { name: classname, ...counts, timestamp: clean(document.generatedAt) });
  const props: Record<string, string> = {
    scenario: document.scenario,
    architecture: sweep.architecture,
    expectation: sweep.expectation,
    platform: document.platform,
    param: sweep.param.path,
    shipped: String(sweep.param.shipped),
    range: `${sweep.param.from} to ${sweep.param.to}`,
    'runs-per-point': String(sweep.repeat),
    seeds: sweep.seeds.join(' '),
    margin: sweep.margin.text,
    stop: sweep.stop.text,
    'holds-when': sweep.holdsWhen,
    'holds-rule': sweep.holdsRule,
    ...(sweep.param.scaleWith.length === 0 ? {} : { 'scale-with': sweep.param.scaleWith.map((field) => `${field.path} (ships ${field.shipped})`).join(', ') }),
  };
  const properties = suite.ele('properties');
  for (const [name, value] of Object.entries(props)) properties.ele('property', { name, value: clean(value) });
  for (const point of points) addPointCase(suite, classname, point, document);
  return root.end({ prettyPrint: true });
}

export async function writeSweepJunit(file: string, document: SweepDocument): Promise<string> {
  await writeFile(file, `${renderSweepJunit(document)}\n`, 'utf8');
  return file;
}

function addPointCase(suite: XMLBuilder, classname: string, point: SweepPointEntry, document: SweepDocument): void {
  const { param, holdsWhen } = document.sweep;
  const { path, shipped } = param;
  const at = `${formatParamValue(point.value, path)}${scaledNote(point.set, param.scaleWith)}`;
  const shippedNote = point.value === shipped ? ', shipped' : '';
  const tally = judgedTally(point, holdsWhen);
  const testcase = suite.ele('testcase', { classname, name: clean(`${path} = ${at}${shippedNote} (${formatJudgedTally(tally, holdsWhen)})`) });
  const perRun = point.runs.map((run) => `seed ${run.seed}: ${run.saturated ? 'unknown: harness saturated' : run.verdict} (${run.dir})`).join('\n');
  if (point.status === 'breaks') {
    const missed = holdsWhen === 'delivered' ? 'the harness could not deliver the load' : `"${document.sweep.expectation}" missed`;
    const message = `${missed} at ${at} in ${tally.fails} of ${tally.runs} runs: seeds ${tally.failingSeeds.join(', ')}`;
    testcase.ele('failure', { message: clean(message), type: holdsWhen === 'delivered' ? 'load-not-delivered' : 'expectation-not-met' }).txt(clean(perRun));
  } else if (point.status !== 'holds') {
    const why = point.status === 'saturated' ? 'harness saturated' : 'verdict unknown';
    testcase.ele('skipped', { message: clean(`${why} at ${at} (${leftOut(tally).join(', ') || 'no run'}): not bisected on`) });
  }
  const expectation = holdsWhen === 'delivered' ? `; expectation: ${formatTally(point.met)}` : '';
  testcase.ele('system-out').txt(clean(`${point.status}: ${formatJudgedTally(tally, holdsWhen)}${expectation}\n${perRun}`));
}

/** Drop characters XML 1.0 cannot carry (control characters, lone surrogates). */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

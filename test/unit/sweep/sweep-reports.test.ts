import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { ExitCode } from '../../../harness/errors.js';
import type { RunScenarioOptions, RunScenarioResult } from '../../../harness/runner/run-scenario.js';
import type { ScenarioDefinition } from '../../../harness/scenario/types.js';
import { bisectSweep } from '../../../harness/sweep/bisect-sweep.js';
import { sweepPointRunner } from '../../../harness/sweep/run-sweep-point.js';
import { HOLDS_RULES } from '../../../harness/sweep/holds-when.js';
import { buildSweepDocument, sweepExitCode, type SweepDocument } from '../../../harness/sweep/sweep-document.js';
import { checkSweepRequest } from '../../../harness/sweep/sweep-input.js';
import { renderSweepHtml } from '../../../harness/sweep/sweep-html.js';
import { serializeSweepDocument } from '../../../harness/sweep/sweep-json.js';
import { renderSweepJunit } from '../../../harness/sweep/sweep-junit.js';
import { renderSweepTerminal } from '../../../harness/sweep/sweep-terminal.js';
import { writeSweepReports } from '../../../harness/sweep/write-sweep-reports.js';
import { repeatReport } from '../verdict/repeat-fixtures.js';
import { breaks, fakeRunner, holds, saturated, SEEDS, sweptScenario, type FakeRun } from './sweep-fixtures.js';

const capacity = 'architectures.dedicated.topology.supernode.capacity.requestsPerSecond';
const spec = checkSweepRequest({ scenario: sweptScenario, architecture: 'dedicated', param: capacity, from: 10, to: 170, repeat: 3, steps: 5 });
const now = new Date('2026-12-05T12:00:00.000Z');

/** By default it holds from 22 up, except at 50, where the harness saturates: the sweep runs 10, 170, 90, 50 and stops there. */
async function sweepDocument(outcomesAt = (value: number) => (value === 50 ? saturated : value >= 22 ? holds : breaks)): Promise<SweepDocument> {
  const outcome = await bisectSweep({ from: spec.from, to: spec.to, integer: spec.integer, steps: spec.steps }, fakeRunner(outcomesAt).run);
  return buildSweepDocument(outcome, { spec, baseSeed: 2010, seeds: [...SEEDS], platform: 'local', now });
}

type Node = Record<string, unknown>;
const list = (value: unknown): Node[] => (value === undefined ? [] : Array.isArray(value) ? (value as Node[]) : [value as Node]);

describe('the sweep document and report.json', () => {
  it('carries a sweep section: the parameter, the rule, the bracket, the margin and every point in run order', async () => {
    const document = await sweepDocument((value) => (value >= 22 ? holds : breaks));
    const json = JSON.parse(serializeSweepDocument(document)) as SweepDocument;
    expect(Object.keys(json)).toEqual(['scenario', 'description', 'platform', 'generatedAt', 'sweep']);
    expect(Object.keys(json.sweep)).toEqual(['architecture', 'expectation', 'param', 'repeat', 'steps', 'baseSeed', 'seeds', 'holdsWhen', 'holdsRule', 'direction', 'bracket', 'stop', 'margin', 'points']);
    expect(json.sweep.param).toEqual({ path: capacity, shipped: 150, from: 10, to: 170, integer: false, scaleWith: [] });
    expect(json.sweep.holdsWhen).toBe('expectation');
    expect(json.sweep.holdsRule).toBe(HOLDS_RULES.expectation);
    expect(json.sweep.holdsRule).toMatch(/^a point holds when every one of its runs was judged and met the expectation/);
    expect(json.sweep.direction).toBe('smaller-breaks');
    expect(json.sweep.points.map((p) => p.value)).toEqual([10, 170, 90, 50, 30, 20, 25]);
    expect(json.sweep.bracket).toEqual({ holds: 25, breaks: 20 });
    expect(json.sweep.stop).toEqual({ kind: 'steps', text: 'after 5 bisection steps the breaking point lies between 25 and 20' });
    expect(json.sweep.margin.text).toBe('holds down to 25 requests/s (breaks at 20); ships 150: margin 6x');
    expect(json.sweep.points[0]).toMatchObject({ index: 0, value: 10, status: 'breaks', met: { passes: 2, fails: 1, runs: 3, failingSeeds: [SEEDS[1]] } });
    expect(json.sweep.points[0]!.runs[1]).toEqual({ seed: SEEDS[1], verdict: 'fail', saturated: false, dir: 'point-0-value-10/run-1' });
    expect(Object.keys(json.sweep.points[0]!)).toEqual(['index', 'value', 'set', 'status', 'dir', 'stoppedEarly', 'met', 'runs']);
    expect(json.sweep.points.map((p) => p.set)).toEqual([10, 170, 90, 50, 30, 20, 25].map((value) => ({ [capacity]: value })));
    expect(sweepExitCode(document, false)).toBe(ExitCode.ok);
    expect(sweepExitCode(document, true)).toBe(ExitCode.interrupted);
  });

  it('stops at a saturated point and exits by the shipped value', async () => {
    const document = await sweepDocument();
    expect(document.sweep.points.map((p) => [p.value, p.status])).toEqual([
      [10, 'breaks'],
      [170, 'holds'],
      [90, 'holds'],
      [50, 'saturated'],
    ]);
    expect(document.sweep.stop.text).toBe('stopped at 50 requests/s: saturated, the harness could not deliver the load; not bisected on, so the breaking point lies between 90 and 10');
    expect(document.sweep.margin.shippedHolds).toBe(true);
    const broken = await sweepDocument((value) => (value >= 160 ? holds : breaks));
    expect(broken.sweep.margin.shippedHolds).toBe(false);
    expect(sweepExitCode(broken, false)).toBe(ExitCode.targetMissed);
    const unjudged = await sweepDocument((value) => (value === 170 ? saturated : breaks));
    expect(sweepExitCode(unjudged, false)).toBe(ExitCode.infrastructure);
  });
});

const perFleet = 'architectures.p2p.topology.clientsPerFleet';
const deliveredSpec = checkSweepRequest({ scenario: sweptScenario, architecture: 'p2p', param: perFleet, from: 100, to: 2000, repeat: 3, steps: 4, holdsWhen: 'delivered' });

/** The system misses its expectation in two of three runs everywhere; by default the harness saturates above 1200 clients a fleet. */
async function deliveredDocument(outcomesAt = (value: number): readonly FakeRun[] => (value <= 1200 ? ['fail', 'pass', 'fail'] : ['fail', 'saturated', 'fail'])): Promise<SweepDocument> {
  const plan = { from: deliveredSpec.from, to: deliveredSpec.to, integer: deliveredSpec.integer, steps: deliveredSpec.steps, holdsWhen: deliveredSpec.holdsWhen };
  const outcome = await bisectSweep(plan, fakeRunner(outcomesAt).run);
  return buildSweepDocument(outcome, { spec: deliveredSpec, baseSeed: 2010, seeds: [...SEEDS], platform: 'local', now });
}

describe('a sweep with --holds-when delivered', () => {
  it('states the rule in report.json, judges points by delivery and gives the margin of the machine', async () => {
    const document = await deliveredDocument();
    const json = JSON.parse(serializeSweepDocument(document)) as SweepDocument;
    expect(json.sweep.holdsWhen).toBe('delivered');
    expect(json.sweep.holdsRule).toBe(HOLDS_RULES.delivered);
    expect(json.sweep.holdsRule).toMatch(/^a point holds when the harness delivered the scenario's load in every one of its runs .*; it breaks when the harness saturated in any run/);
    expect(json.sweep.points.map((p) => [p.value, p.status])).toEqual([
      [100, 'holds'],
      [2000, 'breaks'],
      [1050, 'holds'],
      [1525, 'breaks'],
      [1287, 'breaks'],
      [1168, 'holds'],
    ]);
    expect(json.sweep.bracket).toEqual({ holds: 1168, breaks: 1287 });
    expect(json.sweep.margin).toEqual({ ratio: 11.68, shippedHolds: true, text: 'the harness delivers up to 1168 clients a fleet (saturates at 1287); ships 100: margin 12x' });
    expect(json.sweep.points[0]).toMatchObject({ met: { passes: 1, fails: 2, runs: 3 }, delivered: { name: 'harness delivered the scenario load', passes: 3, fails: 0, runs: 3, unknown: 0 } });
    expect(json.sweep.points[1]).toMatchObject({ met: { passes: 0, fails: 2, saturated: 1 }, delivered: { passes: 2, fails: 1, runs: 3, failingSeeds: [SEEDS[1]] } });
    expect(sweepExitCode(document, false)).toBe(ExitCode.ok);
  });

  it('exits 1 when the harness saturates at the shipped value, 3 when an end was not judged', async () => {
    const short = await deliveredDocument((value) => (value <= 90 ? holds : saturated));
    expect(short.sweep.stop.kind).toBe('breaks-throughout');
    expect(short.sweep.margin.text).toBe('the harness saturates from 100 to 2000 clients a fleet; ships 100: no value in the range is delivered (widen --from/--to)');
    expect(sweepExitCode(short, false)).toBe(ExitCode.targetMissed);
    const unjudged = await deliveredDocument((value) => (value === 2000 ? ['pass', 'unknown', 'pass'] : holds));
    expect(unjudged.sweep.stop).toMatchObject({ kind: 'unjudged-end', value: 2000, status: 'unknown' });
    expect(sweepExitCode(unjudged, false)).toBe(ExitCode.infrastructure);
  });

  it('shows the rule and the runs delivered in the terminal, the HTML and the JUnit XML; a point that saturated fails', async () => {
    const document = await deliveredDocument();
    const terminal = renderSweepTerminal(document, { color: false });
    const lines = terminal.split('\n');
    expect(lines[0]).toContain('p2p holds when the harness delivers the load (expected reproduces-outage)');
    expect(lines[1]).toBe(document.sweep.margin.text);
    expect(terminal).toMatch(/│ value\s+│ point\s+│ delivered\s+│ rate\s+│ 95% CI\s+│ left out\s+│ expectation\s+│ run #/);
    expect(lines.find((line) => line.startsWith('│ 2000 '))).toMatch(/│ ✘ breaks\s+│ 2\/3\s+│ 67%\s+│ 0\.21-0\.94\s+│\s+│ 0\/2 passed, 1 saturated\s+│ 1\s+│/);
    expect(terminal).toContain(`a point ${HOLDS_RULES.delivered.replace(/^a point /, '')}`);

    const html = renderSweepHtml(document);
    expect(html).toContain('<h2>Load delivered against architectures.p2p.topology.clientsPerFleet</h2>');
    expect(html).toContain('<th>delivered</th>');
    expect(html).toContain('<th>saturated seeds</th>');
    expect(html).toContain('aria-label="share of runs delivered against architectures.p2p.topology.clientsPerFleet"');
    expect(html).toContain('data-overall="pass"');

    const root = (create(renderSweepJunit(document)).end({ format: 'object' }) as { testsuites: Node }).testsuites;
    expect(root).toMatchObject({ '@tests': '6', '@failures': '3', '@skipped': '0' });
    const suite = list(root['testsuite'])[0]!;
    const properties = list((suite['properties'] as Node)['property']);
    expect(properties.find((p) => p['@name'] === 'holds-when')?.['@value']).toBe('delivered');
    expect(properties.find((p) => p['@name'] === 'holds-rule')?.['@value']).toBe(HOLDS_RULES.delivered);
    const cases = list(suite['testcase']);
    expect(cases[0]!['@name']).toBe(`${perFleet} = 100 clients a fleet, shipped (3/3 delivered, 95% CI 0.44-1.00)`);
    expect(cases[0]!['failure']).toBeUndefined();
    const failure = list(cases[5]!['failure'])[0]!;
    expect(failure).toMatchObject({ '@type': 'load-not-delivered', '@message': `the harness could not deliver the load at 2000 clients a fleet in 1 of 3 runs: seeds ${SEEDS[1]}` });
  });
});

describe('the sweep JUnit XML', () => {
  it('has one test case per point, by value: breaking points fail, saturated ones are skipped', async () => {
    const document = await sweepDocument();
    const root = (create(renderSweepJunit(document)).end({ format: 'object' }) as { testsuites: Node }).testsuites;
    expect(root).toMatchObject({ '@tests': '4', '@failures': '1', '@skipped': '1', '@errors': '0' });
    const suite = list(root['testsuite'])[0]!;
    const cases = list(suite['testcase']);
    expect(cases.map((c) => c['@name'])).toEqual([
      `${capacity} = 10 requests/s (2/3 passed, 95% CI 0.21-0.94)`,
      `${capacity} = 50 requests/s (2/2 passed, 1 saturated, 95% CI 0.34-1.00)`,
      `${capacity} = 90 requests/s (3/3 passed, 95% CI 0.44-1.00)`,
      `${capacity} = 170 requests/s (3/3 passed, 95% CI 0.44-1.00)`,
    ]);
    expect(list(cases[0]!['failure'])[0]).toMatchObject({ '@type': 'expectation-not-met' });
    expect(String(list(cases[1]!['skipped'])[0]!['@message'])).toMatch(/^harness saturated at 50 requests\/s/);
    expect(cases[2]!['failure']).toBeUndefined();
    const properties = list((suite['properties'] as Node)['property']);
    expect(properties.find((p) => p['@name'] === 'margin')?.['@value']).toBe(document.sweep.margin.text);
  });
});

describe('the sweep terminal and HTML', () => {
  it('puts the margin first in the terminal and one row per point by value, the shipped value marked', async () => {
    const document = await sweepDocument((value) => (value >= 22 ? holds : breaks));
    const lines = renderSweepTerminal(document, { color: false }).split('\n');
    expect(lines[1]).toBe(document.sweep.margin.text);
    const values = lines.filter((line) => line.startsWith('│ ') && !line.startsWith('│ value')).map((line) => line.split('│')[1]!.trim());
    expect(values).toEqual(['10', '20', '25', '30', '50', '90', '170']);
  });

  it('draws the rate against the parameter with interval bars, the bracket and the shipped value, in a self-contained page', async () => {
    const html = renderSweepHtml(await sweepDocument());
    expect(html).toContain('<svg class="sweep"');
    expect(html.match(/<g class="point /g)).toHaveLength(4);
    expect(html).toContain('class="ci"');
    expect(html).toContain('<rect class="bracket"');
    expect(html).toMatch(/<line class="shipped"[^>]*\/><text class="shipped-label"[^>]*>ships 150<\/text>/);
    expect(html).toContain('data-overall="pass"');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });
});

describe('the real point runner, on a fake run', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('runs the varied scenario K times on the one architecture with the repeat seeds, and writes the reports', async () => {
    const out = await mkdtemp(join(tmpdir(), 'sweep-'));
    dirs.push(out);
    const calls: RunScenarioOptions[] = [];
    const run = async (options: RunScenarioOptions): Promise<RunScenarioResult> => {
      calls.push(options);
      return { report: { ...repeatReport(calls.length - 1), seed: options.seed }, exitCode: 0, files: { json: '', junit: '', html: '' }, histories: {} };
    };
    const runPoint = sweepPointRunner({ spec, platform: 'local', baseSeed: 2010, outDir: out, signal: new AbortController().signal, run });
    const point = await runPoint({ index: 2, value: 22 });
    expect(calls.map((c) => c.seed)).toEqual([...SEEDS]);
    expect(calls.every((c) => c.architectures.length === 1 && c.architectures[0] === 'dedicated')).toBe(true);
    expect(calls.map((c) => c.scenario.architectures.dedicated?.topology.supernode.capacity.requestsPerSecond)).toEqual([22, 22, 22]);
    expect(calls[0]!.outDir).toBe(join(out, 'point-2-value-22', 'run-0-seed-2010'));
    expect(point).toMatchObject({ dir: 'point-2-value-22', stoppedEarly: false, met: { passes: 2, fails: 1, runs: 3 } });
    expect(point.runs.map((r) => r.dir)).toEqual(['point-2-value-22/run-0-seed-2010', 'point-2-value-22/run-1-seed-1101061811', 'point-2-value-22/run-2-seed-1859513356']);
    expect(JSON.parse(await readFile(join(out, 'point-2-value-22', 'report.json'), 'utf8'))).toMatchObject({ repeat: { count: 3 } });

    const aborted = new AbortController();
    aborted.abort();
    const afterInterrupt = sweepPointRunner({ spec, platform: 'local', baseSeed: 2010, outDir: out, signal: aborted.signal, run });
    await expect(afterInterrupt({ index: 3, value: 30 })).rejects.toMatchObject({ code: 'INTERRUPTED' });
    expect(calls).toHaveLength(3);
    expect(existsSync(join(out, 'point-3-value-30'))).toBe(false);

    const files = await writeSweepReports(out, await sweepDocument());
    expect(JSON.parse(await readFile(files.json, 'utf8'))).toHaveProperty('sweep.margin');
    expect(files.junit).toEqual([join(out, 'junit.xml')]);
  });
});

describe('a sweep with --scale-with, on the real point runner and a fake run', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const topology = 'architectures.p2p.topology';
  const grown = checkSweepRequest({
    scenario: sweptScenario,
    architecture: 'p2p',
    param: `${topology}.supernodes`,
    from: 32,
    to: 150,
    repeat: 1,
    steps: 3,
    holdsWhen: 'delivered',
    scaleWith: [`${topology}.clientsPerFleet`, `${topology}.standbyPeers`],
  });

  /** The scenario each run was given; the harness saturates once a fleet holds more than 400 clients. */
  async function scaledSweep(): Promise<{ document: SweepDocument; scenarios: ScenarioDefinition[] }> {
    const out = await mkdtemp(join(tmpdir(), 'sweep-scaled-'));
    dirs.push(out);
    const scenarios: ScenarioDefinition[] = [];
    const run = async (options: RunScenarioOptions): Promise<RunScenarioResult> => {
      scenarios.push(options.scenario);
      const saturated = options.scenario.architectures.p2p!.topology.clientsPerFleet > 400;
      const report = repeatReport(0);
      const runs = report.runs.map((verdict) => (verdict.architecture === 'p2p' ? { ...verdict, verdict: saturated ? ('unknown' as const) : verdict.verdict, saturation: { saturated, reasons: [], figures: {} } } : verdict));
      return { report: { ...report, seed: options.seed, runs }, exitCode: 0, files: { json: '', junit: '', html: '' }, histories: {} };
    };
    const runPoint = sweepPointRunner({ spec: grown, platform: 'docker', baseSeed: 2010, outDir: out, signal: new AbortController().signal, run });
    const outcome = await bisectSweep({ from: grown.from, to: grown.to, integer: grown.integer, steps: grown.steps, holdsWhen: grown.holdsWhen }, runPoint);
    return { document: buildSweepDocument(outcome, { spec: grown, baseSeed: 2010, seeds: [2010], platform: 'docker', now }), scenarios };
  }

  it('runs each point on the scenario with the swept field at its value and every scaled field in proportion', async () => {
    const { document, scenarios } = await scaledSweep();
    const sizes = scenarios.map((scenario) => {
      const { supernodes, clientsPerFleet, standbyPeers, fleets } = scenario.architectures.p2p!.topology;
      return [supernodes, clientsPerFleet, standbyPeers, fleets];
    });
    // 32 and 150 first, then 91, 120, 135: clients a fleet 100 × value / 32, standby peers 8 × value / 32, rounded down.
    expect(sizes).toEqual([
      [32, 100, 8, 3],
      [150, 468, 37, 3],
      [91, 284, 22, 3],
      [120, 375, 30, 3],
      [135, 421, 33, 3],
    ]);
    expect(scenarios.every((scenario) => scenario.load.crashProbability === sweptScenario.load.crashProbability)).toBe(true);
    expect(document.sweep.bracket).toEqual({ holds: 120, breaks: 135 });
  });

  it('records what each point set and the scaled fields in report.json, and shows the scaled values in every report', async () => {
    const { document } = await scaledSweep();
    const json = JSON.parse(serializeSweepDocument(document)) as SweepDocument;
    expect(json.sweep.param).toEqual({
      path: `${topology}.supernodes`,
      shipped: 32,
      from: 32,
      to: 150,
      integer: true,
      scaleWith: [
        { path: `${topology}.clientsPerFleet`, shipped: 100, integer: true },
        { path: `${topology}.standbyPeers`, shipped: 8, integer: true },
      ],
    });
    expect(json.sweep.points[2]).toMatchObject({ value: 91, set: { [`${topology}.supernodes`]: 91, [`${topology}.clientsPerFleet`]: 284, [`${topology}.standbyPeers`]: 22 }, status: 'holds' });
    expect(json.sweep.points.map((p) => p.set[`${topology}.clientsPerFleet`])).toEqual([100, 468, 284, 375, 421]);

    const terminal = renderSweepTerminal(document, { color: false });
    expect(terminal.split('\n')[0]).toContain(`sweep ${topology}.supernodes from 32 to 150, scaling ${topology}.clientsPerFleet (ships 100), ${topology}.standbyPeers (ships 8) in proportion`);
    expect(terminal).toContain('│ 32 (clientsPerFleet 100, standbyPeers 8) (shipped) │');
    expect(terminal).toContain('│ 120 (clientsPerFleet 375, standbyPeers 30)');

    const html = renderSweepHtml(document);
    expect(html).toContain('<td class="num">135 (clientsPerFleet 421, standbyPeers 33)</td>');
    expect(html).toContain(`<span>scaling ${topology}.clientsPerFleet (ships 100), ${topology}.standbyPeers (ships 8) in proportion</span>`);

    const root = (create(renderSweepJunit(document)).end({ format: 'object' }) as { testsuites: Node }).testsuites;
    const suite = list(root['testsuite'])[0]!;
    const cases = list(suite['testcase']);
    expect(cases[0]!['@name']).toBe(`${topology}.supernodes = 32 supernodes (clientsPerFleet 100, standbyPeers 8), shipped (1/1 delivered, 95% CI 0.21-1.00)`);
    expect(list(cases[3]!['failure'])[0]!['@message']).toBe('the harness could not deliver the load at 135 supernodes (clientsPerFleet 421, standbyPeers 33) in 1 of 1 runs: seeds 2010');
    const properties = list((suite['properties'] as Node)['property']);
    expect(properties.find((p) => p['@name'] === 'scale-with')?.['@value']).toBe(`${topology}.clientsPerFleet (ships 100), ${topology}.standbyPeers (ships 8)`);
  });
});

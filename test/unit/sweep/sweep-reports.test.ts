import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { ExitCode } from '../../../harness/errors.js';
import type { RunScenarioOptions, RunScenarioResult } from '../../../harness/runner/run-scenario.js';
import { bisectSweep } from '../../../harness/sweep/bisect-sweep.js';
import { sweepPointRunner } from '../../../harness/sweep/run-sweep-point.js';
import { buildSweepDocument, HOLDS_RULE, sweepExitCode, type SweepDocument } from '../../../harness/sweep/sweep-document.js';
import { checkSweepRequest } from '../../../harness/sweep/sweep-input.js';
import { renderSweepHtml } from '../../../harness/sweep/sweep-html.js';
import { serializeSweepDocument } from '../../../harness/sweep/sweep-json.js';
import { renderSweepJunit } from '../../../harness/sweep/sweep-junit.js';
import { renderSweepTerminal } from '../../../harness/sweep/sweep-terminal.js';
import { writeSweepReports } from '../../../harness/sweep/write-sweep-reports.js';
import { repeatReport } from '../verdict/repeat-fixtures.js';
import { breaks, fakeRunner, holds, saturated, SEEDS, sweptScenario } from './sweep-fixtures.js';

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
    expect(Object.keys(json.sweep)).toEqual(['architecture', 'expectation', 'param', 'repeat', 'steps', 'baseSeed', 'seeds', 'holdsRule', 'direction', 'bracket', 'stop', 'margin', 'points']);
    expect(json.sweep.param).toEqual({ path: capacity, shipped: 150, from: 10, to: 170, integer: false });
    expect(json.sweep.holdsRule).toBe(HOLDS_RULE);
    expect(json.sweep.direction).toBe('smaller-breaks');
    expect(json.sweep.points.map((p) => p.value)).toEqual([10, 170, 90, 50, 30, 20, 25]);
    expect(json.sweep.bracket).toEqual({ holds: 25, breaks: 20 });
    expect(json.sweep.stop).toEqual({ kind: 'steps', text: 'after 5 bisection steps the breaking point lies between 25 and 20' });
    expect(json.sweep.margin.text).toBe('holds down to 25 requests/s (breaks at 20); ships 150: margin 6x');
    expect(json.sweep.points[0]).toMatchObject({ index: 0, value: 10, status: 'breaks', met: { passes: 2, fails: 1, runs: 3, failingSeeds: [SEEDS[1]] } });
    expect(json.sweep.points[0]!.runs[1]).toEqual({ seed: SEEDS[1], verdict: 'fail', saturated: false, dir: 'point-0-value-10/run-1' });
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

import { describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import type { ControlsSection } from '../../../harness/controls/control-types.js';
import { summarizeControls } from '../../../harness/controls/summarize-controls.js';
import { CONTROLS_TERMINAL_WIDTH, renderControlsTerminal } from '../../../harness/report/controls-terminal.js';
import { loadHtmlAssets, renderHtmlReport } from '../../../harness/report/html-report.js';
import { serializeRunReport } from '../../../harness/report/json-report.js';
import { renderJunit } from '../../../harness/report/junit-report.js';
import { renderRepeatHtml } from '../../../harness/report/repeat-html.js';
import { serializeRepeatDocument } from '../../../harness/report/repeat-json.js';
import { renderRepeatJunit } from '../../../harness/report/repeat-junit.js';
import { summarizeRepeat } from '../../../harness/verdict/repeat-summary.js';
import { fixtureHistories, fixtureReport } from '../report/fixtures.js';
import { repeatInputs } from '../verdict/repeat-fixtures.js';
import { controlRuns } from './control-fixtures.js';

const section = (): ControlsSection =>
  summarizeControls(controlRuns(), { requested: 2, seeds: [2010, 111], stoppedEarly: false, skipped: [{ name: 'p2p-promo', architecture: 'p2p', reason: 'p2p not selected with --arch' }] });

const hostile = (): ControlsSection => {
  const base = section();
  const [first, ...rest] = base.controls;
  return { ...base, controls: [{ ...first!, sabotages: '<script>alert("x")</script> & a very long account of what is sabotaged, '.repeat(4) }, ...rest] };
};

const repeatDocument = () => ({ ...summarizeRepeat(repeatInputs(), { scenario: 'skype-2010', requested: 4, baseSeed: 2010, now: new Date('2024-12-22T12:00:00.000Z') }), controls: section() });

type Node = Record<string, unknown>;
const list = (value: unknown): Node[] => (value === undefined ? [] : Array.isArray(value) ? (value as Node[]) : [value as Node]);
const suitesOf = (xml: string): { root: Node; suites: Node[] } => {
  const root = (create(xml).end({ format: 'object' }) as { testsuites: Node }).testsuites;
  return { root, suites: list(root['testsuite']) };
};

describe('controls in the terminal', () => {
  it('draws one row per control within 120 columns, with the values per run and k/K caught', () => {
    const text = renderControlsTerminal(hostile(), { color: false, scenario: 'skype-2010' });
    const lines = text.split('\n');
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(CONTROLS_TERMINAL_WIDTH);
    expect(lines[0]).toBe('negative controls of skype-2010: 2 runs each, seeds 2010, 111');
    expect(text).toMatch(/│ control +│ arch +│ sabotages +│ must break +│ measured +│ result +│/);
    const row = (name: string): string => lines.find((line) => line.startsWith(`│ ${name} `)) ?? '';
    expect(row('pinned')).toContain('#0 —, 0.41');
    expect(row('pinned')).toContain('✔ caught');
    expect(row('slow-store')).toContain('✘ missed');
    expect(row('no-promotion')).toContain('? unknown');
    expect(text).toContain('#1 2.5 (pass), 0.41');
    expect(text).toContain('#1 3 (saturated)');
    expect(text).toContain('1/2 caught');
    expect(lines).toContain('slow-store #1 seed 111: missed: held recovery time 2.5 (wanted <= 10h)');
    expect(lines).toContain('not run: p2p-promo (p2p not selected with --arch)');
    expect(lines.at(-1)).toBe('✘ negative control missed: slow-store (1/2 caught): the gate passes a sabotaged system');
  });

  it('says so when every control is caught', () => {
    const caught = summarizeControls(controlRuns().slice(0, 1), { requested: 2, seeds: [2010, 111], stoppedEarly: false });
    expect(renderControlsTerminal(caught, { color: false }).split('\n').at(-1)).toBe('✔ every negative control caught: 1 control, 2 runs each');
  });

  it('says why no control ran when --arch left them all out', () => {
    const none = summarizeControls([], { requested: 1, seeds: [2010], stoppedEarly: false, skipped: [{ name: 'p2p-promo', architecture: 'p2p', reason: 'p2p not selected with --arch' }] });
    expect(renderControlsTerminal(none, { color: false }).split('\n').slice(1)).toEqual([
      'not run: p2p-promo (p2p not selected with --arch)',
      'no negative control ran (1 on an architecture not selected with --arch)',
    ]);
  });
});

describe('controls in report.json', () => {
  it('adds a controls section to the run report, keys in a fixed order', () => {
    const parsed = JSON.parse(serializeRunReport({ ...fixtureReport(), controls: section() })) as { controls: ControlsSection };
    expect(Object.keys(parsed)).toEqual(['scenario', 'description', 'seed', 'platform', 'generatedAt', 'runs', 'controls']);
    expect(Object.keys(parsed.controls)).toEqual(['requested', 'seeds', 'stoppedEarly', 'controls', 'skipped']);
    const pinned = parsed.controls.controls[0]!;
    expect(Object.keys(pinned)).toEqual(['name', 'architecture', 'sabotages', 'set', 'mustBreak', 'outcome', 'caught', 'requested', 'runs']);
    expect(pinned).toMatchObject({ name: 'pinned', outcome: 'caught', caught: 2, requested: 2, set: { 'architectures.dedicated.topology.defects': { directoryPinsDeadSupernodes: true } } });
    expect(Object.keys(pinned.runs[0]!)).toEqual(['seed', 'dir', 'outcome', 'verdict', 'saturated', 'targets', 'reason']);
    expect(pinned.runs[0]!.targets[1]).toEqual({ key: 'availabilityFloor', name: 'availability floor', wanted: '>= 0.70', measured: 0.41, outcome: 'fail' });
    expect(parsed.controls.controls.map((control) => control.outcome)).toEqual(['caught', 'missed', 'unknown']);
  });

  it('leaves the run report as it was without --controls', () => {
    expect(serializeRunReport(fixtureReport())).not.toContain('"controls"');
  });

  it('adds the same section to the repeat document', () => {
    const parsed = JSON.parse(serializeRepeatDocument(repeatDocument())) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['scenario', 'description', 'platform', 'generatedAt', 'repeat', 'controls']);
    expect((parsed['controls'] as ControlsSection).controls.map((control) => control.name)).toEqual(['pinned', 'slow-store', 'no-promotion']);
  });
});

describe('controls in report.html', () => {
  it('puts the controls table after the main tables, escaped, each run linked to its own report', async () => {
    const html = renderHtmlReport({ ...fixtureReport(), controls: hostile() }, fixtureHistories(), await loadHtmlAssets());
    const tables = html.indexOf('<section class="tables">');
    const controls = html.indexOf('<section class="controls"');
    expect(tables).toBeGreaterThan(-1);
    expect(controls).toBeGreaterThan(tables);
    const part = html.slice(controls, html.indexOf('</section>', controls));
    expect(part).toContain('<table class="controls">');
    expect(part).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; a very long account');
    expect(part).not.toContain('<script>');
    expect(part.match(/<tr class="\w+" data-control=/g)).toHaveLength(3);
    expect(part).toContain('data-control="slow-store" data-outcome="missed"');
    expect(part).toContain('<a href="controls/pinned/run-1-seed-111/report.html"');
    expect(part).toContain('<code>architectures.dedicated.topology.defects = {&quot;directoryPinsDeadSupernodes&quot;:true}</code>');
    expect(part).toContain('1/2 caught');
    expect(part).toContain('p2p-promo (p2p): p2p not selected with --arch');
  });

  it('has no controls section without --controls, and one in the repeat page with it', () => {
    expect(renderRepeatHtml(summarizeRepeat(repeatInputs(), { scenario: 'skype-2010', requested: 4, baseSeed: 2010 }))).not.toContain('class="controls"');
    const html = renderRepeatHtml(repeatDocument());
    expect(html.indexOf('<section class="controls"')).toBeGreaterThan(html.indexOf('<section class="figures">'));
  });
});

describe('controls in junit.xml', () => {
  it('has one testcase per control: a failure when missed, an error when unknown, skipped when not run', () => {
    const { root, suites } = suitesOf(renderJunit({ ...fixtureReport(), controls: section() }));
    const suite = suites.find((candidate) => candidate['@name'] === 'skype-2010.controls')!;
    expect(suite).toBeDefined();
    expect([suite['@tests'], suite['@failures'], suite['@errors'], suite['@skipped']]).toEqual(['4', '1', '1', '1']);
    const cases = list(suite['testcase']);
    expect(cases.map((testcase) => testcase['@name'])).toEqual(['pinned (dedicated: 2/2 caught)', 'slow-store (dedicated: 1/2 caught)', 'no-promotion (dedicated: 1/2 caught)', 'p2p-promo (p2p)']);
    expect(cases[0]!['failure']).toBeUndefined();
    expect(cases[0]!['error']).toBeUndefined();
    expect((cases[1]!['failure'] as Node)['@type']).toBe('control-missed');
    expect((cases[1]!['failure'] as Node)['@message']).toContain('slow-store missed on seed 111');
    expect((cases[2]!['error'] as Node)['@type']).toBe('control-unknown');
    expect(cases[3]!['skipped']).toBeDefined();
    const withoutControls = suitesOf(renderJunit(fixtureReport())).root;
    expect(Number(root['@tests'])).toBe(Number(withoutControls['@tests']) + 4);
    expect(Number(root['@failures'])).toBe(Number(withoutControls['@failures']) + 1);
  });

  it('adds the same testsuite to the repeat JUnit', () => {
    const { suites } = suitesOf(renderRepeatJunit(repeatDocument()));
    const suite = suites.find((candidate) => candidate['@name'] === 'skype-2010.controls')!;
    expect(list(suite['testcase'])).toHaveLength(4);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { requireControlsToRun, runControlsStep } from '../../../harness/commands/controls-step.js';
import type { ControlsSection } from '../../../harness/controls/control-types.js';
import { summarizeControls } from '../../../harness/controls/summarize-controls.js';
import { ChaosError, ExitCode } from '../../../harness/errors.js';
import { controlsTallyText } from '../../../harness/report/controls-format.js';
import { renderControlsOnlyHtml } from '../../../harness/report/controls-only-html.js';
import { renderControlsOnlyJunit } from '../../../harness/report/controls-only-junit.js';
import { controlsOnlyDocument, serializeControlsOnlyDocument, type ControlsOnlyDocument } from '../../../harness/report/controls-only-report.js';
import { writeControlsOnlyReports } from '../../../harness/report/write-controls-only-reports.js';
import { repeatSeeds } from '../../../harness/runner/repeat-runs.js';
import type { RunScenarioOptions, RunScenarioResult } from '../../../harness/runner/run-scenario.js';
import { controlRuns, prepared, target, verdict } from './control-fixtures.js';
import { chaosRefusal } from '../helpers/chaos-refusal.js';

const skippedP2p = { name: 'p2p-promo', architecture: 'p2p' as const, reason: 'p2p not selected with --arch' };

const section = (): ControlsSection => summarizeControls(controlRuns(), { requested: 2, seeds: [2010, 111], stoppedEarly: false, skipped: [skippedP2p] });

const documentOf = (controls: ControlsSection = section()): ControlsOnlyDocument =>
  controlsOnlyDocument(controls, { scenario: 'skype-2010', description: 'a <b>bold</b> outage', baseSeed: 2010, platform: 'local', now: new Date('2024-12-22T12:00:00.000Z') });

type Node = Record<string, unknown>;
const list = (value: unknown): Node[] => (value === undefined ? [] : Array.isArray(value) ? (value as Node[]) : [value as Node]);

describe('the --only-controls document (report.json)', () => {
  it('holds the scenario, the seeds, the platform, the time and the controls, keys in a fixed order, and no runs', () => {
    const parsed = JSON.parse(serializeControlsOnlyDocument(documentOf())) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['scenario', 'description', 'baseSeed', 'seeds', 'platform', 'generatedAt', 'controls']);
    expect(parsed).toMatchObject({ scenario: 'skype-2010', baseSeed: 2010, seeds: [2010, 111], platform: 'local', generatedAt: '2024-12-22T12:00:00.000Z' });
    const controls = parsed['controls'] as ControlsSection;
    expect(Object.keys(controls)).toEqual(['requested', 'seeds', 'stoppedEarly', 'controls', 'skipped']);
    expect(controls.controls.map((control) => [control.name, control.outcome, control.caught])).toEqual([
      ['pinned', 'caught', 2],
      ['slow-store', 'missed', 1],
      ['no-promotion', 'unknown', 1],
    ]);
    expect(controls.skipped).toEqual([skippedP2p]);
    expect(parsed).not.toHaveProperty('runs');
    expect(parsed).not.toHaveProperty('repeat');
  });
});

describe('the --only-controls page (report.html)', () => {
  it('names the scenario, counts the controls caught, missed and unknown in a banner, then draws the table', () => {
    const html = renderControlsOnlyHtml(documentOf());
    expect(html).toContain('<title>skype-2010: negative controls</title>');
    expect(html).toContain('<h1>skype-2010</h1>');
    expect(html).toContain('a &lt;b&gt;bold&lt;/b&gt; outage');
    const banner = html.indexOf('<div class="overall fail" data-overall="fail">3 negative controls: 1 caught, 1 missed, 1 unknown</div>');
    const table = html.indexOf('<table class="controls">');
    expect(banner).toBeGreaterThan(html.indexOf('<h1>'));
    expect(table).toBeGreaterThan(banner);
    expect(html.match(/<tr class="\w+" data-control=/g)).toHaveLength(3);
    expect(html).toContain('<a href="controls/slow-store/run-1-seed-111/report.html"');
    expect(html).toContain('p2p-promo (p2p): p2p not selected with --arch');
    expect(html).not.toContain('<script');
  });

  it('colours the banner by the worst control: pass when all were caught, unknown when one could not be judged', () => {
    const [pinned, , noPromotion] = controlRuns();
    const caught = summarizeControls([pinned!], { requested: 2, seeds: [2010, 111], stoppedEarly: false });
    expect(renderControlsOnlyHtml(documentOf(caught))).toContain('<div class="overall pass" data-overall="pass">1 negative control: 1 caught, 0 missed, 0 unknown</div>');
    const unknown = summarizeControls([pinned!, noPromotion!], { requested: 2, seeds: [2010, 111], stoppedEarly: false });
    expect(renderControlsOnlyHtml(documentOf(unknown))).toContain('data-overall="unknown">2 negative controls: 1 caught, 0 missed, 1 unknown</div>');
  });
});

describe('the --only-controls JUnit', () => {
  it('holds the one testsuite of the controls, a testcase per control, and sums it at the root', () => {
    const root = (create(renderControlsOnlyJunit(documentOf())).end({ format: 'object' }) as { testsuites: Node }).testsuites;
    expect(root['@name']).toBe('skype-2010 (negative controls)');
    expect([root['@tests'], root['@failures'], root['@errors'], root['@skipped']]).toEqual(['4', '1', '1', '1']);
    const suites = list(root['testsuite']);
    expect(suites.map((suite) => suite['@name'])).toEqual(['skype-2010.controls']);
    const cases = list(suites[0]!['testcase']);
    expect(cases.map((testcase) => testcase['@name'])).toEqual(['pinned (dedicated: 2/2 caught)', 'slow-store (dedicated: 1/2 caught)', 'no-promotion (dedicated: 1/2 caught)', 'p2p-promo (p2p)']);
    expect((cases[1]!['failure'] as Node)['@type']).toBe('control-missed');
    expect((cases[2]!['error'] as Node)['@type']).toBe('control-unknown');
  });
});

describe('writing the --only-controls reports', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('writes report.json, report.html and junit.xml into the report directory, and the JUnit also to --junit', async () => {
    dir = mkdtempSync(join(tmpdir(), 'chaos-only-controls-'));
    const out = join(dir, 'out');
    const junitFile = join(dir, 'ci', 'controls.xml');
    const files = await writeControlsOnlyReports(out, documentOf(), { junitFile });
    expect(files).toEqual({ json: join(out, 'report.json'), html: join(out, 'report.html'), junit: [join(out, 'junit.xml'), junitFile] });
    expect(readFileSync(files.json, 'utf8')).toBe(serializeControlsOnlyDocument(documentOf()));
    expect(readFileSync(files.html, 'utf8')).toContain('3 negative controls: 1 caught, 1 missed, 1 unknown');
    expect(readFileSync(junitFile, 'utf8')).toBe(readFileSync(join(out, 'junit.xml'), 'utf8'));
  });

  it('refuses a directory it cannot write with exit 2', async () => {
    dir = mkdtempSync(join(tmpdir(), 'chaos-only-controls-'));
    const aFile = join(dir, 'a-file');
    writeFileSync(aFile, 'x');
    const refused = await writeControlsOnlyReports(join(aFile, 'out'), documentOf()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ChaosError);
    expect((refused as ChaosError).exitCode).toBe(ExitCode.invalidInput);
    expect((refused as ChaosError).message).toMatch(/cannot write the negative controls' reports to .*a-file\/out: ENOTDIR/);
  });
});

describe('--only-controls with nothing to run', () => {
  it('refuses a scenario that declares no control (exit 2), saying how to add one or drop the flag', () => {
    const error = chaosRefusal(() => requireControlsToRun('fixture', { prepared: [], skipped: [] }));
    expect(error.exitCode).toBe(ExitCode.invalidInput);
    expect(error.describe()).toBe('INVALID_CONFIG: fixture declares no negative controls; add `controls` to the scenario (docs/scenarios.md#negative-controls) or drop --only-controls');
  });

  it('refuses controls that --arch leaves all out (exit 2), naming their architectures', () => {
    const error = chaosRefusal(() => requireControlsToRun('fixture', { prepared: [], skipped: [skippedP2p, { ...skippedP2p, name: 'other' }] }));
    expect(error.exitCode).toBe(ExitCode.invalidInput);
    expect(error.describe()).toBe('INVALID_CONFIG: --arch leaves none of the negative controls of fixture to run: they run on p2p; add p2p to --arch, or drop --arch');
  });

  it('accepts a plan with a control to run', () => {
    expect(() => requireControlsToRun('fixture', { prepared: [prepared({ name: 'pinned' })], skipped: [skippedP2p] })).not.toThrow();
  });
});

describe('the controls alone, as --only-controls --repeat 3 runs them', () => {
  const caught = verdict([target('recovery time', null, 'fail'), target('availability floor', 0.4, 'fail')]);
  const held = verdict([target('messages lost', 0, 'pass')]);

  /** A runScenario that reports `caught` for every control but `drops`, whose target holds on the seeds given. */
  const fakeRun =
    (dropsHeldOn: readonly number[], calls: RunScenarioOptions[] = []) =>
    async (call: RunScenarioOptions): Promise<RunScenarioResult> => {
      calls.push(call);
      const judged = call.scenario.name.endsWith('drops') ? (dropsHeldOn.includes(call.seed) ? held : verdict([target('messages lost', 3, 'fail')])) : caught;
      return {
        report: { scenario: call.scenario.name, description: '', seed: call.seed, platform: 'local', generatedAt: '2024-12-22T10:00:00.000Z', runs: [judged] },
        exitCode: ExitCode.targetMissed,
        files: { json: join(call.outDir, 'report.json'), junit: join(call.outDir, 'junit.xml'), html: join(call.outDir, 'report.html') },
        histories: {},
      };
    };

  const plan = { prepared: [prepared({ name: 'pinned' }), prepared({ name: 'drops', mustBreak: ['maxMessagesLost'] })], skipped: [] };
  const stepOptions = { plan, platform: 'local' as const, signal: new AbortController().signal, owners: new Set<never>(), count: 3, baseSeed: 2010, outDir: 'out', oneAtATime: false, say: () => undefined };

  it('runs each control on the seeds a real repeat would use, and the document and exit code come from the controls alone', async () => {
    const calls: RunScenarioOptions[] = [];
    const step = await runControlsStep({ ...stepOptions, run: fakeRun([], calls) });
    const seeds = repeatSeeds(2010, 3);
    expect(step.section.seeds).toEqual(seeds);
    expect(calls.filter((call) => call.scenario.name.endsWith('pinned')).map((call) => [call.seed, call.outDir])).toEqual(
      seeds.map((seed, index) => [seed, join('out', 'controls', 'pinned', `run-${index}-seed-${seed}`)]),
    );
    expect(step.exitCode).toBe(ExitCode.ok);
    const document = controlsOnlyDocument(step.section, { scenario: 'fixture', description: '', baseSeed: 2010, platform: 'local' });
    expect(document.seeds).toEqual(seeds);
    expect(controlsTallyText(document.controls)).toBe('2 negative controls: 2 caught, 0 missed, 0 unknown');
  });

  it('exits 1 when a control is missed on any seed', async () => {
    const [, secondSeed] = repeatSeeds(2010, 3);
    const step = await runControlsStep({ ...stepOptions, run: fakeRun([secondSeed!]) });
    expect(step.section.controls.map((control) => [control.name, control.outcome, control.caught])).toEqual([
      ['pinned', 'caught', 3],
      ['drops', 'missed', 2],
    ]);
    expect(step.exitCode).toBe(ExitCode.targetMissed);
  });
});

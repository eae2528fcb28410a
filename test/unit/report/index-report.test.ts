import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { errorEntry } from '../../../harness/report/index-entry.js';
import { renderIndexHtml } from '../../../harness/report/index-report-html.js';
import { serializeIndexDocument } from '../../../harness/report/index-report-json.js';
import { renderIndexJunit } from '../../../harness/report/index-report-junit.js';
import { wallTimeText } from '../../../harness/report/index-report-format.js';
import { writeIndexReports } from '../../../harness/report/write-index-reports.js';
import { HOSTILE_NAME, fixtureLibrary, type FixtureLibrary } from './index-fixtures.js';

type Node = Record<string, unknown>;
const list = (value: unknown): Node[] => (value === undefined ? [] : Array.isArray(value) ? (value as Node[]) : [value as Node]);
const entities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const decode = (text: unknown): string => String(text).replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => entities[name] ?? '');
const parse = (xml: string): { root: Node; suites: Node[] } => {
  const root = (create(xml).end({ format: 'object' }) as { testsuites: Node }).testsuites;
  return { root, suites: list(root['testsuite']) };
};
const caseNames = (suite: Node): string[] => list(suite['testcase']).map((testcase) => decode(testcase['@name']));

let dir: string;
let library: FixtureLibrary;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'index-report-'));
  library = await fixtureLibrary(dir);
});

afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('index.json', () => {
  it('says what ran, when, with which command and exit code, then one entry per scenario in library order', () => {
    const parsed = JSON.parse(serializeIndexDocument(library.document)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['schemaVersion', 'command', 'startedAt', 'finishedAt', 'platform', 'exitCode', 'verdict', 'interrupted', 'scenarios']);
    expect(parsed).toMatchObject({
      schemaVersion: 1,
      command: 'chaos run --all --controls --platform local',
      startedAt: '2024-12-22T10:00:00.000Z',
      finishedAt: '2024-12-22T10:42:00.000Z',
      platform: 'local',
      exitCode: 1,
      verdict: 'fail',
      interrupted: false,
    });
    const scenarios = parsed['scenarios'] as Record<string, unknown>[];
    expect(scenarios.map((entry) => [entry['scenario'], entry['status'], entry['verdict'], entry['exitCode'], entry['mode']])).toEqual([
      ['skype-2010', 'finished', 'fail', 1, 'run'],
      ['skype-2010-no-remedy', 'finished', 'pass', 0, 'run'],
      ['skype-2010-same-capacity', 'finished', 'fail', 1, 'repeat'],
      [HOSTILE_NAME, 'finished', 'fail', 1, 'only-controls'],
      ['rehearsal-p2p', 'not-run', 'not-run', null, null],
    ]);
  });

  it('gives each scenario its verdicts per architecture, its controls, its wall time and its reports relative to the index', () => {
    const [run, passing, repeat, controls, skipped] = library.document.scenarios;
    expect(run).toEqual({
      scenario: 'skype-2010',
      status: 'finished',
      verdict: 'fail',
      exitCode: 1,
      mode: 'run',
      seed: 2010,
      architectures: [
        { architecture: 'p2p', expectation: 'reproduces-outage', verdict: 'pass', runs: 1, passed: 1 },
        { architecture: 'dedicated', expectation: 'meets-targets', verdict: 'fail', runs: 1, passed: 0 },
      ],
      controls: { total: 3, caught: 1, missed: 1, unknown: 1, notRun: 0 },
      wallSeconds: 61.5,
      reports: { html: 'skype-2010/report.html', json: 'skype-2010/report.json', junit: 'skype-2010/junit.xml' },
    });
    expect(passing?.controls).toBeNull();
    expect(repeat?.architectures).toEqual([
      { architecture: 'p2p', expectation: 'reproduces-outage', verdict: 'pass', runs: 4, passed: 4 },
      { architecture: 'dedicated', expectation: 'meets-targets', verdict: 'fail', runs: 4, passed: 2 },
    ]);
    expect(controls).toMatchObject({ architectures: [], controls: { total: 3, caught: 1 }, reports: { html: `${HOSTILE_NAME}/report.html` } });
    expect(skipped).toMatchObject({ reason: '--arch dedicated: it defines only p2p', wallSeconds: null, reports: null });
    for (const entry of library.document.scenarios) {
      for (const file of Object.values(entry.reports ?? {})) expect(existsSync(join(dir, file)), file).toBe(true);
    }
  });
});

describe('the index JUnit XML', () => {
  it('holds one testsuite per scenario with the test cases of its own junit.xml, and sums them', async () => {
    const { root, suites } = parse(renderIndexJunit(library.document, library.run.results));
    expect(suites.map((suite) => decode(suite['@name']))).toEqual(library.document.scenarios.map((entry) => entry.scenario));
    for (const entry of library.document.scenarios.filter((scenario) => scenario.reports !== null)) {
      const own = parse(await readFile(join(dir, entry.reports!.junit), 'utf8'));
      const suite = suites.find((candidate) => decode(candidate['@name']) === entry.scenario)!;
      expect(caseNames(suite)).toEqual(own.suites.flatMap(caseNames));
      expect(Number(suite['@tests'])).toBe(Number(own.root['@tests']));
      expect(Number(suite['@failures'])).toBe(Number(own.root['@failures']));
      expect(Number(suite['@errors'])).toBe(Number(own.root['@errors']));
    }
    const sum = (key: string): number => suites.reduce((total, suite) => total + Number(suite[key]), 0);
    for (const key of ['@tests', '@failures', '@errors', '@skipped']) expect(Number(root[key]), key).toBe(sum(key));
    const skipped = suites.at(-1)!;
    expect(list(skipped['testcase'])).toHaveLength(1);
    expect(decode(list(list(skipped['testcase'])[0]!['skipped'])[0]!['@message'])).toBe('--arch dedicated: it defines only p2p');
  });

  it('makes a scenario that stopped with an error one failing case', () => {
    const failed = errorEntry('broken', 3, 'NODE_START_FAILED: supernode-1 would not start', 12);
    const { suites } = parse(renderIndexJunit({ ...library.document, scenarios: [failed] }, new Map()));
    expect(suites).toHaveLength(1);
    expect(suites[0]).toMatchObject({ '@name': 'broken', '@tests': '1', '@errors': '1', '@time': '12.000' });
    expect(list(list(suites[0]!['testcase'])[0]!['error'])[0]!['@type']).toBe('scenario-error');
  });
});

describe('index.html', () => {
  const html = (): string => renderIndexHtml(library.document);

  it('shows the verdict banner first, then one row per scenario', () => {
    const page = html();
    expect(page.indexOf('class="overall fail"')).toBeGreaterThan(0);
    expect(page.indexOf('class="overall fail"')).toBeLessThan(page.indexOf('<table'));
    expect(page).toContain('✘ FAIL: 1 of 5 scenarios passed; missed: skype-2010, skype-2010-same-capacity, odd &lt;img');
    expect(page.match(/<tr class="[a-z]+" data-scenario=/g)).toHaveLength(5);
    expect(page).toContain('<a href="skype-2010/report.html">skype-2010/report.html</a>');
  });

  it('escapes scenario names as text and as links, and fetches nothing', () => {
    const page = html();
    expect(page).not.toContain('<img');
    expect(page).toContain('odd &lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt; &amp; name');
    expect(page).toContain(`href="${encodeURIComponent(HOSTILE_NAME)}/report.html"`);
    expect(page).not.toMatch(/<script|https?:\/\//);
  });
});

describe('the line per scenario', () => {
  it('gives the verdict per architecture, the controls, the wall time and the report', () => {
    expect(library.lines[0]).toBe(`[1/5] skype-2010  p2p ✔ PASS, dedicated ✘ FAIL  controls 1/3 caught, 1 missed, 1 unknown  1 min 02 s  ${join(dir, 'skype-2010', 'report.html')}`);
    expect(library.lines[2]).toContain('[3/5] skype-2010-same-capacity  p2p ✔ 4/4 met, dedicated ✘ 2/4 met');
    expect(library.lines[4]).toBe('[5/5] rehearsal-p2p  – NOT RUN: --arch dedicated: it defines only p2p');
  });

  it('writes the wall time in seconds, minutes or hours', () => {
    expect([wallTimeText(9.94), wallTimeText(365), wallTimeText(3725)]).toEqual(['9.9 s', '6 min 05 s', '1 h 02 min']);
  });
});

describe('writeIndexReports', () => {
  it('writes index.json, index.html and junit.xml into the directory, and the JUnit XML to --junit too', async () => {
    const junitFile = join(dir, 'ci', 'library.xml');
    const files = await writeIndexReports(dir, library.document, library.run.results, { junitFile });
    expect(files).toEqual({ json: join(dir, 'index.json'), html: join(dir, 'index.html'), junit: [join(dir, 'junit.xml'), junitFile] });
    expect(await readFile(files.json, 'utf8')).toBe(serializeIndexDocument(library.document));
    expect(await readFile(junitFile, 'utf8')).toBe(await readFile(join(dir, 'junit.xml'), 'utf8'));
  });
});

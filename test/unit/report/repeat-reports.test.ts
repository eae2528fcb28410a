import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { renderRepeatHtml } from '../../../harness/report/repeat-html.js';
import { serializeRepeatDocument } from '../../../harness/report/repeat-json.js';
import { renderRepeatJunit } from '../../../harness/report/repeat-junit.js';
import { REPEAT_TERMINAL_WIDTH, renderRepeatTerminal } from '../../../harness/report/repeat-terminal.js';
import { writeRepeatReports } from '../../../harness/report/write-repeat-reports.js';
import { summarizeRepeat, type RepeatInput } from '../../../harness/verdict/repeat-summary.js';
import { repeatInputs } from '../verdict/repeat-fixtures.js';

const now = new Date('2024-12-22T12:00:00.000Z');
const summarize = (inputs: readonly RepeatInput[], scenario = 'skype-2010') => summarizeRepeat(inputs, { scenario, requested: inputs.length, baseSeed: 2010, now });
const document = summarize(repeatInputs());

type Node = Record<string, unknown>;
const list = (value: unknown): Node[] => (value === undefined ? [] : Array.isArray(value) ? (value as Node[]) : [value as Node]);
const entities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const decode = (value: unknown): unknown => {
  if (typeof value === 'string') return value.replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => entities[name] ?? '');
  if (Array.isArray(value)) return value.map(decode);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  return value;
};
const parseJunit = (xml: string): { root: Node; suites: Node[] } => {
  const root = (decode(create(xml).end({ format: 'object' })) as { testsuites: Node }).testsuites;
  return { root, suites: list(root['testsuite']) };
};

describe('repeat terminal summary', () => {
  const text = renderRepeatTerminal(document, { color: false });
  const lines = text.split('\n');
  const row = (section: string, name: string): string[] => {
    const from = lines.findIndex((line) => line.startsWith(`│ ${section} `));
    const line = lines.slice(from).find((l) => l.startsWith(`│ ${name} `)) ?? '';
    return line.split('│').map((cell) => cell.trim()).filter((cell) => cell !== '');
  };

  it('says first, one line per architecture, what was expected and how often it was met', () => {
    expect(lines.slice(1, 3)).toEqual([
      'p2p        expected reproduces-outage  got ✔ met in 4/4 runs (100%, 95% CI 0.51-1.00)',
      'dedicated  expected meets-targets      got ✘ met in 2/3 runs (67%, 95% CI 0.21-0.94), 1 saturated; missed on seed 111',
    ]);
    expect(lines[3]!.startsWith('┌')).toBe(true);
  });

  it('shows each target with its pass count, rate and Wilson interval', () => {
    expect(row('dedicated: targets', 'messages lost')).toEqual(['messages lost', '✘ 2/3', '67%', '0.21-0.94', '1 saturated']);
    expect(row('dedicated: targets', 'lookup success')).toEqual(['lookup success', '? 0/0', '—', '—', '1 saturated, 3 unknown']);
    expect(row('p2p: targets', 'online low point')).toEqual(['online low point', '✔ 4/4', '100%', '0.51-1.00']);
  });

  it('shows min / median / max of the figures a reader decides on, and leaves every other figure to report.json', () => {
    const figures = (section: string): string[] => {
      const from = lines.findIndex((line) => line.startsWith(`│ ${section}: figures`));
      const to = lines.findIndex((line, index) => index > from && line.startsWith('└'));
      return lines.slice(from + 1, to).map((line) => line.split('│')[1]!.trim());
    };
    expect(figures('dedicated')).toEqual(['online low point', 'cascade amplification', 'recovery', 'messages lost']);
    expect(figures('p2p')).toEqual(['online low point', 'cascade amplification', 'recovery', 'messages lost', 'peak load / capacity']);
    expect(row('dedicated: figures', 'recovery')).toEqual(['recovery', '10.0 s', '15.0 s', '20.0 s', '1 not measured, 1 saturated']);
    expect(row('dedicated: figures', 'online low point')).toEqual(['online low point', '80.0%', '80.0%', '80.0%', '1 saturated']);
    expect(row('p2p: figures', 'peak load / capacity')).toEqual(['peak load / capacity', '1.5×', '1.5×', '1.5×', '3 not measured']);
    expect(text).not.toContain('summary.');
    expect(text).not.toContain('target.');
    expect(text).toContain('every other figure, per run: report.json');
  });

  it('shows each published figure beside the spread the runs measured', () => {
    expect(row('dedicated: published figures', 'online users 20 h after T0, share of normal')).toEqual(['online users 20 h after T0, share of normal', '90%', '92.5%', '95%', '1 not measured, 1 saturated']);
    expect(row('p2p: published figures', 'online users 20 h after T0, share of normal')).toEqual(['online users 20 h after T0, share of normal', '30%', '30%', '30%']);
    expect(text).toContain('│   published about 30% (30%) ');
    expect(lines.every((line) => line.length <= REPEAT_TERMINAL_WIDTH)).toBe(true);
  });

  it('lists every run with its seed, verdict and key figures, a saturated one as unknown', () => {
    expect(text).toMatch(/│ 1 +│ 111 +│ ✘ fail +│ 80\.0% +│ — +│ 3 +│/);
    expect(text).toMatch(/│ 3 +│ 333 +│ \? unknown: harness +│ 80\.0% +│ 30\.0 s +│ 0 +│/);
    expect(lines.at(-1)).toBe('✘ expectation missed: dedicated in 1 of 3 runs (seeds 111)');
  });

  it('fits 120 columns, with long target names, large seeds and every figure present', () => {
    const inputs = repeatInputs().map((input, index) => ({
      ...input,
      seed: 2_147_483_000 + index,
      report: {
        ...input.report,
        runs: input.report.runs.map((run) => ({
          ...run,
          summary: { ...run.summary, supernodesLostDirect: 12, supernodesLostTotal: 40, cascadeAmplification: 3.333, recoveryScenarioHours: 27.25 },
          targets: run.targets.map((t) => ({ ...t, name: `outage: ${t.name}, held for the whole of the run after the trigger was healed` })),
        })),
      },
    }));
    const wide = renderRepeatTerminal(summarize(inputs), { color: false }).split('\n');
    for (const line of wide) expect([...line].length, line).toBeLessThanOrEqual(REPEAT_TERMINAL_WIDTH);
    expect(wide.some((line) => /│ 27\.3 h +│/.test(line))).toBe(true);
    expect(wide.some((line) => line.startsWith('│ supernodes lost directly '))).toBe(true);
  });
});

describe('repeat report.json', () => {
  const parsed = JSON.parse(serializeRepeatDocument(document)) as Record<string, unknown> & { repeat: Record<string, unknown> & { architectures: Record<string, unknown>[] } };

  it('has the documented shape, keys in a fixed order', () => {
    expect(Object.keys(parsed)).toEqual(['scenario', 'description', 'platform', 'generatedAt', 'repeat']);
    expect(Object.keys(parsed.repeat)).toEqual(['count', 'requested', 'baseSeed', 'seeds', 'stoppedEarly', 'architectures']);
    const dedicated = parsed.repeat.architectures[1]!;
    expect(Object.keys(dedicated)).toEqual(['architecture', 'expectation', 'runs', 'met', 'targets', 'figures', 'fidelity']);
    expect((dedicated['runs'] as unknown[])[3]).toEqual({ seed: 333, verdict: 'unknown', saturated: true, dir: 'run-3-seed-333' });
    const lost = (dedicated['targets'] as Record<string, unknown>[]).find((t) => t['name'] === 'messages lost')!;
    expect(Object.keys(lost).slice(0, 6)).toEqual(['name', 'passes', 'runs', 'saturated', 'rate', 'wilson95']);
    expect(lost).toMatchObject({ passes: 2, runs: 3, saturated: 1, failingSeeds: [111] });
    const recovery = (dedicated['figures'] as Record<string, unknown>[]).find((f) => f['name'] === 'summary.recoverySeconds');
    expect(recovery).toEqual({ name: 'summary.recoverySeconds', min: 10, median: 15, max: 20, values: [10, null, 20, 30], nulls: 1, saturated: 1 });
    const fidelity = (dedicated['fidelity'] as Record<string, unknown>[])[0]!;
    expect(Object.keys(fidelity)).toEqual(['quantity', 'published', 'expected', 'unit', 'min', 'median', 'max', 'values', 'nulls', 'saturated']);
    expect(fidelity).toMatchObject({ expected: 0.3, min: 0.9, median: 0.925, max: 0.95, values: [0.9, null, 0.95, 0.5] });
  });
});

describe('repeat report.html', () => {
  const html = renderRepeatHtml(document);

  it('puts the published figures beside the spread the runs measured in each architecture', () => {
    const tables = html.match(/<table class="fidelity">[\s\S]*?<\/table>/g) ?? [];
    expect(tables).toHaveLength(2);
    expect(tables[1]).toContain('<caption>published figures vs these runs (informational)</caption>');
    expect(tables[1]).toContain(
      '<tr><td>online users 20 h after T0, share of normal</td><td>about 30%</td><td class="num">30%</td><td class="num">90%</td><td class="num">92.5%</td><td class="num">95%</td><td>1 not measured, 1 saturated</td></tr>',
    );
  });

  it('is self-contained and has one strip plot per figure, one dot per run with a value', () => {
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<(script|link)\b/i);
    expect(html).toContain("default-src 'none'");
    const names = [...new Set(document.repeat.architectures.flatMap((a) => a.figures.map((f) => f.name)))];
    expect(html.match(/<svg class="strip"/g)).toHaveLength(names.length);
    const figure = /<figure data-figure="summary\.recoverySeconds">([\s\S]*?)<\/figure>/.exec(html)?.[1] ?? '';
    // p2p: 4 values; dedicated: 10, null, 20, 30 (saturated, drawn hollow).
    expect(figure.match(/<circle /g)).toHaveLength(7);
    expect(figure).toContain('class="dot unknown" data-seed="333"');
    expect(figure).toContain('class="dot pass" data-seed="2010"');
    expect(figure).toContain('1 null');
  });

  it('has the targets table with pass rates and links to every run', () => {
    expect(html).toMatch(/<tr class="fail" data-target="messages lost"><td>messages lost<\/td><td class="num verdict">✘ 2\/3<\/td><td class="num">67%<\/td><td class="num">0\.21-0\.94<\/td><td>1 saturated<\/td><td class="num">111<\/td><\/tr>/);
    expect(html).toContain('<a href="run-3-seed-333/report.html">run-3-seed-333</a>');
    expect(html).toContain('unknown: harness saturated');
  });

  it('escapes every name it shows', () => {
    const evil = repeatInputs().map((input) => ({
      ...input,
      report: { ...input.report, description: '<script>alert(1)</script>', runs: input.report.runs.map((run) => ({ ...run, targets: run.targets.map((t) => ({ ...t, name: `${t.name} <b>"&'` })) })) },
    }));
    const page = renderRepeatHtml(summarize(evil, '<img src=x onerror=alert(1)>'));
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b>');
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('messages lost &lt;b&gt;&quot;&amp;&#39;');
  });
});

describe('repeat JUnit XML', () => {
  it('has one suite per architecture and one case per target named with its pass rate', () => {
    const { root, suites } = parseJunit(renderRepeatJunit(document));
    expect(suites.map((s) => s['@name'])).toEqual(['skype-2010.p2p', 'skype-2010.dedicated']);
    expect(root).toMatchObject({ '@tests': '7', '@failures': '2', '@errors': '0', '@skipped': '1' });
    const dedicated = list(suites[1]!['testcase']);
    expect(dedicated.map((c) => c['@name'])).toEqual([
      'run completed (3/3 passed, 1 saturated, 95% CI 0.44-1.00)',
      'messages lost (2/3 passed, 1 saturated, 95% CI 0.21-0.94)',
      'lookup success (0/0 passed, 1 saturated, 3 unknown, no judged run)',
      'expectation: meets-targets (2/3 passed, 1 saturated, 95% CI 0.21-0.94)',
    ]);
    const lost = dedicated[1]!['failure'] as Node;
    expect(lost['@message']).toBe('failed in 1 of 3 runs: seeds 111');
    expect(lost['#']).toBe('seed 111 (run-1-seed-111)');
    expect(dedicated[2]!['skipped']).toEqual({ '@message': 'unknown in every run: 1 saturated, 3 unknown' });
    expect(list(suites[0]!['testcase']).map((c) => c['@name'])).toContain('online low point (4/4 passed, 95% CI 0.51-1.00)');
    expect(list(suites[0]!['testcase']).every((c) => c['failure'] === undefined && c['error'] === undefined)).toBe(true);
  });

  it('makes an expectation that only saturated runs kept from passing an error, never green', () => {
    const [first, , third, fourth] = repeatInputs();
    const { suites } = parseJunit(renderRepeatJunit(summarize([first!, third!, fourth!])));
    const dedicated = list(suites[1]!['testcase']);
    const expectation = dedicated.at(-1)!;
    expect(expectation['@name']).toBe('expectation: meets-targets (2/2 passed, 1 saturated, 95% CI 0.34-1.00)');
    expect(expectation['error']).toMatchObject({ '@type': 'harness-saturated' });
    expect(suites[1]).toMatchObject({ '@failures': '0', '@errors': '1' });
  });
});

describe('writeRepeatReports', () => {
  let dir = '';
  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('writes report.json, report.html and junit.xml, and the --junit copy', async () => {
    dir = await mkdtemp(join(tmpdir(), 'repeat-reports-'));
    const files = await writeRepeatReports(join(dir, 'out'), document, { junitFile: join(dir, 'ci', 'junit.xml') });
    expect(files.junit).toEqual([join(dir, 'out', 'junit.xml'), join(dir, 'ci', 'junit.xml')]);
    expect(JSON.parse(await readFile(files.json, 'utf8'))).toMatchObject({ scenario: 'skype-2010', repeat: { count: 4, seeds: [2010, 111, 222, 333] } });
    expect(await readFile(files.html, 'utf8')).toContain('<svg class="strip"');
    const [a, b] = await Promise.all(files.junit.map((file) => readFile(file, 'utf8')));
    expect(a).toBe(b);
    expect(a).toContain('<testsuite name="skype-2010.dedicated"');
  });
});

import { describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { renderJunit } from '../../../harness/report/junit-report.js';
import type { ArchitectureVerdict } from '../../../harness/verdict/verdict-types.js';
import { fixtureReport } from './fixtures.js';

type Node = Record<string, unknown>;

const list = (value: unknown): Node[] => (value === undefined ? [] : Array.isArray(value) ? (value as Node[]) : [value as Node]);

const entities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** xmlbuilder2's object form keeps entity references as written; decode them as an XML parser would. */
function decoded(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => entities[name] ?? '');
  if (Array.isArray(value)) return value.map(decoded);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decoded(v)]));
  return value;
}

function parse(xml: string): { suites: Node[]; root: Node } {
  const doc = decoded(create(xml).end({ format: 'object' })) as { testsuites: Node };
  return { root: doc.testsuites, suites: list(doc.testsuites['testsuite']) };
}

describe('renderJunit', () => {
  it('has one suite per architecture and one case per target plus the expectation', () => {
    const report = fixtureReport();
    const xml = renderJunit(report);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const { root, suites } = parse(xml);
    expect(suites.map((s) => s['@name'])).toEqual(['skype-2010.p2p', 'skype-2010.dedicated']);
    expect(root['@tests']).toBe('12');
    expect(root['@failures']).toBe('2');
    expect(root['@skipped']).toBe('1');
    expect(root['@errors']).toBe('0');

    for (const [index, run] of report.runs.entries()) {
      const suite = suites[index]!;
      const cases = list(suite['testcase']);
      expect(cases).toHaveLength(run.targets.length + 1);
      expect(Number(suite['@tests'])).toBe(cases.length);
      expect(Number(suite['@failures'])).toBe(cases.filter((c) => c['failure'] !== undefined).length);
      expect(Number(suite['@skipped'])).toBe(cases.filter((c) => c['skipped'] !== undefined).length);
      for (const testcase of cases) expect(testcase['@classname']).toBe(`skype-2010.${run.architecture}`);
      expect(cases.map((c) => c['@name'])).toEqual([...run.targets.map((t) => t.name), `expectation: ${run.expectation}`]);
      const props = list((suite['properties'] as Node)['property']);
      expect(props).toContainEqual({ '@name': 'seed', '@value': '2010' });
      expect(props).toContainEqual({ '@name': 'platform', '@value': 'local' });
    }
  });

  it('says measured vs target on a failure and marks unknown targets skipped', () => {
    const { suites } = parse(renderJunit(fixtureReport()));
    const dedicated = list(suites[1]!['testcase']);
    const missed = dedicated.find((c) => c['@name'] === 'messages lost')!;
    expect((missed['failure'] as Node)['@message']).toBe('measured 3, target <= 0');
    const expectation = dedicated.find((c) => c['@name'] === 'expectation: meets-targets')!;
    expect((expectation['failure'] as Node)['@message']).toContain('messages lost');

    const p2p = list(suites[0]!['testcase']);
    const unknown = p2p.find((c) => c['@name'] === 'lookup success after recovery')!;
    expect((unknown['skipped'] as Node)['@message']).toContain('unknown: checker crashed');
    expect(p2p.find((c) => c['@name'] === 'expectation: reproduces-outage')!['failure']).toBeUndefined();
  });

  it('reports an unknown verdict as an error, never as green', () => {
    const base = fixtureReport();
    const unknownRun: ArchitectureVerdict = { ...base.runs[0]!, verdict: 'unknown', outcome: 'aborted' };
    const { root, suites } = parse(renderJunit({ ...base, runs: [unknownRun] }));
    expect(root['@errors']).toBe('1');
    const expectation = list(suites[0]!['testcase']).find((c) => String(c['@name']).startsWith('expectation'))!;
    expect((expectation['error'] as Node)['@message']).toContain('could not be judged (run aborted)');
  });

  it('escapes markup and drops characters XML cannot carry', () => {
    const base = fixtureReport();
    const hostile: ArchitectureVerdict = {
      ...base.runs[1]!,
      targets: [{ name: 'a <b> & "c"\u0001', target: '<= 0', measured: '</failure>', outcome: 'fail', pass: false }],
    };
    const xml = renderJunit({ ...base, scenario: 'x"&<y>', runs: [hostile] });
    expect(xml).not.toContain('\u0001');
    expect(xml).not.toContain('<b>');
    const { suites } = parse(xml);
    const testcase = list(suites[0]!['testcase'])[0]!;
    expect(testcase['@name']).toBe('a <b> & "c"');
    expect(testcase['@classname']).toBe('x"&<y>.dedicated');
    expect((testcase['failure'] as Node)['@message']).toBe('measured </failure>, target <= 0');
  });
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serializeRunReport, writeJsonReport } from '../../../harness/report/json-report.js';
import type { RunReport } from '../../../harness/verdict/verdict-types.js';
import { fixtureReport, unmeasuredP2pReport, unmeasuredSummary } from './fixtures.js';

describe('report.json', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('has exactly the RunReport field names, in a stable order', () => {
    const parsed = JSON.parse(serializeRunReport(fixtureReport())) as RunReport;
    expect(Object.keys(parsed)).toEqual(['scenario', 'description', 'seed', 'platform', 'generatedAt', 'runs']);
    expect(parsed.scenario).toBe('skype-2010');
    expect(parsed.seed).toBe(2010);
    expect(parsed.platform).toBe('local');
    expect(parsed.runs.map((r) => r.architecture)).toEqual(['p2p', 'dedicated']);
    const run = parsed.runs[0]!;
    expect(Object.keys(run)).toEqual(['architecture', 'expectation', 'verdict', 'outcome', 'summary', 'targets']);
    expect(run.expectation).toBe('reproduces-outage');
    expect(run.verdict).toBe('pass');
    expect(Object.keys(run.summary)).toEqual([
      'steadyOnlineClients',
      'minOnlineFraction',
      'supernodesLostDirect',
      'supernodesLostTotal',
      'supernodesAtSteadyState',
      'supernodesEverInNetwork',
      'cascadeAmplification',
      'recovered',
      'recoverySeconds',
      'recoveryScenarioHours',
      'messagesLost',
      'lookupSuccessAfterRecovery',
      'cascadeContinuedAfterHeal',
      'fidelity',
    ]);
    expect(run.summary.fidelity[0]).toEqual({ quantity: 'online users 20 h after T0, share of normal', published: 'about 30%', expected: 0.3, measured: 0.312, unit: 'share' });
    expect(Object.keys(run.summary.fidelity[3]!)).toEqual(['quantity', 'published', 'expected', 'measured', 'unit']);
    expect(run.summary.fidelity[3]!.measured).toBeNull();
    expect(Object.keys(run.targets[0]!)).toEqual(['name', 'target', 'measured', 'outcome', 'pass']);
    expect(Object.keys(run.targets[4]!)).toEqual(['name', 'target', 'measured', 'outcome', 'pass', 'detail']);
    expect(run.targets[4]!.measured).toBeNull();
    expect(parsed.runs[1]!.summary.cascadeAmplification).toBeNull();
  });

  it('round-trips the report and orders keys the same whatever order they came in', () => {
    const report = fixtureReport();
    expect(JSON.parse(serializeRunReport(report))).toEqual(report);
    const reordered: RunReport = { runs: report.runs, generatedAt: report.generatedAt, platform: report.platform, seed: report.seed, description: report.description, scenario: report.scenario };
    expect(serializeRunReport(reordered)).toBe(serializeRunReport(report));
  });

  it('keeps unmeasured figures as null, never 0 or false', () => {
    const parsed = JSON.parse(serializeRunReport(unmeasuredP2pReport())) as RunReport;
    const summary = parsed.runs[0]!.summary;
    expect(summary).toEqual(unmeasuredSummary);
    expect(Object.values(summary).filter((v) => v !== null && !Array.isArray(v))).toEqual([]);
  });

  it('drops fields outside the contract and indents with two spaces', () => {
    const report = { ...fixtureReport(), extra: 'nope' } as RunReport;
    const text = serializeRunReport(report);
    expect(text).not.toContain('extra');
    expect(text.split('\n')[1]).toBe('  "scenario": "skype-2010",');
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('writes the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'report-json-'));
    dirs.push(dir);
    const file = await writeJsonReport(join(dir, 'report.json'), fixtureReport());
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(fixtureReport());
  });
});

import { describe, expect, it } from 'vitest';
import { loadHtmlAssets, renderHtmlReport } from '../../../harness/report/html-report.js';
import { serializeRunReport } from '../../../harness/report/json-report.js';
import { renderJunit } from '../../../harness/report/junit-report.js';
import { runHealthFigures } from '../../../harness/report/run-health-figures.js';
import { renderTerminalSummary } from '../../../harness/report/terminal-summary.js';
import type { ArchitectureVerdict, RunReport } from '../../../harness/verdict/verdict-types.js';
import { fixtureHistories, fixtureReport } from './fixtures.js';

const counted = (run: ArchitectureVerdict): ArchitectureVerdict => ({
  ...run,
  unreadFleetSamples: { unread: 3, samples: 40, share: 0.075, exceeded: true },
  nodesFailed: [{ node: 'sn-4', role: 'supernode', t: 12_000, exitCode: 1 }],
});

const report = (): RunReport => {
  const base = fixtureReport();
  return { ...base, runs: base.runs.map(counted) };
};

describe('unread fleet samples and node failures in every report', () => {
  it('are figures of their own', () => {
    const run = report().runs[0]!;
    expect(runHealthFigures(run)).toEqual([
      { label: 'fleet samples unread', value: '3 of 40 (7.5%)' },
      { label: 'nodes failed (not cascade)', value: 'sn-4: node failed (exit 1)' },
    ]);
    expect(runHealthFigures(fixtureReport().runs[0]!).map((f) => f.value)).toEqual(['—', '—']);
    expect(runHealthFigures({ ...run, nodesFailed: [] })[1]?.value).toBe('none');
  });

  it('say where the nodes ran on a platform of several machines, and nothing of it elsewhere', () => {
    const placement = { summary: 'x', byHost: { vm: ['toxiproxy', 'login', 'offline-1', 'sn-02'], 'sc-w1': ['sn-01', 'fleet-1'] } };
    expect(runHealthFigures({ ...report().runs[0]!, placement })[2]).toEqual({ label: 'placed on', value: 'vm: 4 (toxiproxy, login, offline-1, ...); sc-w1: 2 (sn-01, fleet-1)' });
    expect(runHealthFigures(report().runs[0]!)).toHaveLength(2);
    expect(JSON.parse(serializeRunReport({ ...report(), runs: [{ ...report().runs[0]!, placement }] })).runs[0].placement).toEqual(placement);
  });

  it('appear in report.json, the terminal, the HTML and the JUnit', async () => {
    const json = JSON.parse(serializeRunReport(report())) as RunReport;
    expect(json.runs[0]).toMatchObject({ unreadFleetSamples: { unread: 3, samples: 40 }, nodesFailed: [{ node: 'sn-4', exitCode: 1 }] });
    const terminal = renderTerminalSummary(report(), { color: false });
    expect(terminal).toContain('fleet samples unread');
    expect(terminal).toContain('3 of 40 (7.5%)');
    expect(terminal).toContain('node failed (exit 1)');
    const html = renderHtmlReport(report(), fixtureHistories(), await loadHtmlAssets());
    expect(html).toContain('<td>fleet samples unread</td><td class="num">3 of 40 (7.5%)</td>');
    expect(html).toContain('sn-4: node failed (exit 1)');
    const junit = renderJunit(report());
    expect(junit).toContain('<property name="fleet-samples-unread" value="3 of 40 (7.5%)"/>');
    expect(junit).toContain('<property name="nodes-failed-not-cascade" value="sn-4: node failed (exit 1)"/>');
  });
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderTerminalSummary } from '../../../harness/report/terminal-summary.js';
import { writeReports } from '../../../harness/report/write-reports.js';
import { buildRunReport, exitCodeOf } from '../../../harness/verdict/run-report.js';
import type { RunReport } from '../../../harness/verdict/verdict-types.js';
import { dedicatedRunHistory } from '../verdict/history-builder.js';

/*
 * A run interrupted in its teardown (or rollback) keeps its verdict, and every report says it was
 * interrupted: the terminal summary, report.json, report.html and junit.xml.
 */

const NOTE = 'interrupted during teardown; verdict stands: the timeline completed';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function reportOf(events: ReturnType<typeof dedicatedRunHistory>): RunReport {
  const start = events[0];
  if (start?.type !== 'run-start') throw new Error('no run-start');
  return buildRunReport(start.definition, 'local', [events], { now: new Date('2026-01-01T00:00:00Z') });
}

async function written(report: RunReport, events: ReturnType<typeof dedicatedRunHistory>): Promise<{ json: string; html: string; junit: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'interrupted-reports-'));
  dirs.push(dir);
  const files = await writeReports(dir, report, { dedicated: events });
  return { json: await readFile(files.json, 'utf8'), html: await readFile(files.html, 'utf8'), junit: await readFile(files.junit, 'utf8') };
}

describe('the reports of a run interrupted after its timeline', () => {
  it('say "interrupted during teardown; verdict stands" in every report, with the verdict the run would have had', async () => {
    const events = dedicatedRunHistory('teardown');
    const report = reportOf(events);
    const [run] = report.runs;
    expect(run).toMatchObject({ verdict: 'pass', outcome: 'completed', interruptedDuring: 'teardown' });

    const terminal = renderTerminalSummary(report, { color: false });
    expect(terminal).toContain('completed, interrupted during teardown');
    expect(terminal).toContain(`dedicated: ${NOTE}`);

    const { json, html, junit } = await written(report, events);
    const parsed = JSON.parse(json) as RunReport;
    expect(Object.keys(parsed.runs[0] ?? {}).slice(0, 5)).toEqual(['architecture', 'expectation', 'verdict', 'outcome', 'interruptedDuring']);
    expect(parsed.runs[0]).toMatchObject({ verdict: 'pass', outcome: 'completed', interruptedDuring: 'teardown' });
    expect(html).toContain(`<p class="interrupted" data-interrupted-during="teardown">${NOTE}</p>`);
    expect(html).toContain('interrupted (SIGINT/SIGTERM) during teardown');
    expect(junit).toContain('<property name="interrupted-during" value="teardown"/>');
    expect(junit).toContain(`dedicated: ${NOTE}`);
    expect(junit).toMatch(/<testsuites [^>]*failures="0" errors="0"/);
  });

  it('say nothing of an interrupt in a run that was not interrupted, and the cut-short run stays "interrupted"', async () => {
    for (const events of [dedicatedRunHistory(), dedicatedRunHistory('timeline')]) {
      const report = reportOf(events);
      expect(report.runs[0]?.interruptedDuring).toBeUndefined();
      expect(renderTerminalSummary(report, { color: false })).not.toContain('interrupted during');
      const { json, html, junit } = await written(report, events);
      for (const text of [json, html, junit]) expect(text).not.toMatch(/interrupted.during|interruptedDuring/);
    }
    expect(reportOf(dedicatedRunHistory('timeline')).runs[0]).toMatchObject({ verdict: 'unknown', outcome: 'interrupted' });
  });

  it('keeps the command\'s exit code 130 when it was interrupted, and the verdict\'s when the history is judged again (chaos report)', () => {
    const report = reportOf(dedicatedRunHistory('rollback'));
    expect(report.runs[0]).toMatchObject({ verdict: 'pass', interruptedDuring: 'rollback' });
    expect(exitCodeOf(report, true)).toBe(130);
    expect(exitCodeOf(report, false)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { directoryFigures } from '../../../harness/report/directory-figures.js';
import { loadHtmlAssets, renderHtmlReport } from '../../../harness/report/html-report.js';
import { serializeRunReport } from '../../../harness/report/json-report.js';
import { loadFigures } from '../../../harness/report/load-figures.js';
import { renderTerminalSummary } from '../../../harness/report/terminal-summary.js';
import { predictDirectoryLoad } from '../../../harness/verdict/directory-prediction.js';
import type { OfferedLoad } from '../../../harness/verdict/offered-load.js';
import type { RunReport } from '../../../harness/verdict/verdict-types.js';
import { directoryScenario } from '../verdict/directory-fixture.js';
import { fixtureHistories, fixtureReport } from './fixtures.js';

const assets = await loadHtmlAssets();

const labels = [
  'login directory: steady, predicted',
  're-registration burst / deadline',
  'storm if all out of service, predicted',
  'feeds itself',
  'late registrations drain alone from',
] as const;

const load: OfferedLoad = {
  predicted: null,
  steadyRequestsPerSupernode: 10,
  peakRequestsPerSupernode: 20,
  peakLoad: 0.5,
  busiestLoad: 0.7,
  peakAt: 12_000,
  surgeFactor: 2,
  networkSurgeFactor: 2,
  limit: 'fixture',
};

const predictedDirectory = predictDirectoryLoad(directoryScenario(), 'p2p');

/** The fixture report with a load on both runs; login has a directory on p2p only when `directory`. */
const reportWith = (directory: boolean): RunReport => {
  const report = fixtureReport();
  return {
    ...report,
    runs: report.runs.map((run) => ({ ...run, load: directory && run.architecture === 'p2p' && predictedDirectory !== undefined ? { ...load, predictedDirectory } : load })),
  };
};

const values = (report: RunReport): Record<string, string> => Object.fromEntries(loadFigures(report.runs[0]!).map((f) => [f.label, f.value]));

describe('directoryFigures', () => {
  it('renders the directory arithmetic as rows after the offered load', () => {
    const figures = loadFigures(reportWith(true).runs[0]!);
    expect(figures.slice(-labels.length).map((f) => f.label)).toEqual(labels);
    expect(values(reportWith(true))).toMatchObject({
      'login directory: steady, predicted': "0.58 of login's time (32 heartbeat answers of 73 ms every 4000 ms)",
      're-registration burst / deadline': '2336 ms / 1000 ms (19 of 32 answered late)',
      'storm if all out of service, predicted': "1.80 of login's time (32 asking every 1000 ms + 300 ms)",
      'feeds itself': 'yes: the deadline is below the tipping deadline of 2036 ms (a bound from above)',
      'late registrations drain alone from': '1168 ms: from there those answered late fit in one deadline when they ask again; the tipping deadline lies between the two',
    });
  });

  it('says what it can without a registration deadline', () => {
    const withoutDeadline = predictDirectoryLoad(directoryScenario({}), 'p2p');
    const run = { ...fixtureReport().runs[0]!, load: { ...load, ...(withoutDeadline === undefined ? {} : { predictedDirectory: withoutDeadline }) } };
    expect(Object.fromEntries(directoryFigures(run).map((f) => [f.label, f.value]))).toEqual({
      'login directory: steady, predicted': "0.58 of login's time (32 heartbeat answers of 73 ms every 4000 ms)",
      're-registration burst / deadline': '2336 ms / no registration deadline',
      'storm if all out of service, predicted': '—',
      'feeds itself': '—',
      'late registrations drain alone from': '—',
    });
  });

  it('has no rows without a directory, and none without a load', () => {
    const run = reportWith(false).runs[0]!;
    expect(directoryFigures(run)).toEqual([]);
    expect(loadFigures(run)).toHaveLength(6);
    expect(directoryFigures({ ...run, load: null })).toEqual([]);
  });

  it('shows the rows in the terminal summary, a dash for the architecture without a directory', () => {
    const lines = renderTerminalSummary(reportWith(true), { color: false }).split('\n');
    for (const label of labels) expect(lines.some((line) => line.includes(label))).toBe(true);
    const feeds = lines.find((line) => line.includes('feeds itself')) ?? '';
    expect(feeds).toContain('yes: the deadline is below');
    expect(feeds).toContain('—');
    const plain = renderTerminalSummary(reportWith(false), { color: false });
    for (const label of labels) expect(plain).not.toContain(label);
  });

  it('shows the rows in the HTML report of the run with a directory only', () => {
    const html = renderHtmlReport(reportWith(true), fixtureHistories(), assets);
    const tables = html.match(/<table class="load">[\s\S]*?<\/table>/g) ?? [];
    expect(tables).toHaveLength(2);
    expect(tables[0]).toContain('<tr><td>re-registration burst / deadline</td><td class="num">2336 ms / 1000 ms (19 of 32 answered late)</td></tr>');
    expect(tables[1]).not.toContain('login directory');
    expect(renderHtmlReport(reportWith(false), fixtureHistories(), assets)).not.toContain('login directory');
  });

  it('carries the prediction in the JSON report only when present', () => {
    const [p2p, dedicated] = (JSON.parse(serializeRunReport(reportWith(true))) as RunReport).runs;
    expect(p2p?.load?.predictedDirectory).toEqual(predictedDirectory);
    expect(dedicated?.load).not.toHaveProperty('predictedDirectory');
    expect(serializeRunReport(reportWith(false))).not.toContain('predictedDirectory');
  });
});

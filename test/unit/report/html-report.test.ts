import { describe, expect, it } from 'vitest';
import { loadHtmlAssets, renderHtmlReport } from '../../../harness/report/html-report.js';
import { fixtureHistories, fixtureReport } from './fixtures.js';

const assets = await loadHtmlAssets();

function dataOf(html: string): { report: { description: string }; series: Record<string, { t: number[]; windows: unknown[] }> } {
  const match = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (match === null) throw new Error('no data script');
  return JSON.parse(match[1]!) as ReturnType<typeof dataOf>;
}

describe('renderHtmlReport', () => {
  const html = renderHtmlReport(fixtureReport(), fixtureHistories(), assets);

  it('is self-contained: uPlot inlined, nothing loaded from the network', () => {
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
    expect(html).toContain(assets.uplotJs.slice(0, 200));
    expect(html).toContain('.uplot');
    expect(html).toContain("default-src 'none'");
  });

  it('carries the chart data for both architectures', () => {
    const data = dataOf(html);
    const histories = fixtureHistories();
    for (const arch of ['p2p', 'dedicated'] as const) {
      const samples = histories[arch].filter((e) => e.type === 'sample');
      expect(data.series[arch]!.t).toHaveLength(samples.length);
      expect(data.series[arch]!.windows.length).toBeGreaterThan(0);
    }
    expect(html.match(/data-chart="/g)).toHaveLength(8);
  });

  it('shows the scenario, seed, platform and every target with its verdict', () => {
    const report = fixtureReport();
    expect(html).toContain('<h1>skype-2010</h1>');
    expect(html).toContain('seed 2010');
    expect(html).toContain('platform local');
    for (const run of report.runs) {
      for (const target of run.targets) {
        expect(html).toContain(`<tr class="${target.outcome}" data-outcome="${target.outcome}"><td>${target.name.replace(/&/g, '&amp;')}</td>`);
      }
    }
    expect(html).toContain('data-architecture="dedicated" data-verdict="fail"');
    expect(html).toContain('&gt;= 0.95');
  });

  it('escapes a hostile description in the page and in the JSON data', () => {
    const hostile = '</script><img src=x onerror="alert(1)"><!-- & \u2028';
    const page = renderHtmlReport(fixtureReport({ description: hostile, scenario: '<b>x</b>' }), fixtureHistories(), assets);
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<b>x</b>');
    expect(page).toContain('&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    const scripts = page.match(/<\/script>/g) ?? [];
    expect(scripts).toHaveLength(3);
    expect(dataOf(page).report.description).toBe(hostile);
  });

  it('renders a run without a history as an empty chart slot rather than failing', () => {
    const page = renderHtmlReport(fixtureReport(), { p2p: fixtureHistories().p2p }, assets);
    expect(page.match(/data-chart="/g)).toHaveLength(4);
    expect(page).toContain('no samples in the history');
  });
});

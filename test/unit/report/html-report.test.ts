import { describe, expect, it } from 'vitest';
import { loadHtmlAssets, renderHtmlReport } from '../../../harness/report/html-report.js';
import { fixtureHistories, fixtureReport, unmeasuredP2pReport } from './fixtures.js';

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
    expect(html.match(/data-chart="/g)).toHaveLength(8 + 1);
    expect(html.match(/data-chart="compare"/g)).toHaveLength(1);
  });

  it('puts the verdict first, then the charts, then the tables', () => {
    const at = (needle: string): number => {
      const index = html.indexOf(needle);
      expect(index, needle).toBeGreaterThan(-1);
      return index;
    };
    const body = at('<body>');
    expect(at('<section class="verdict"')).toBeGreaterThan(body);
    expect(at('<section class="charts">')).toBeGreaterThan(at('<section class="verdict"'));
    expect(at('data-chart="compare"')).toBeLessThan(at('data-chart="online"'));
    expect(at('<section class="tables">')).toBeGreaterThan(html.lastIndexOf('data-chart="'));
    expect(at('<table class="summary">')).toBeGreaterThan(at('<section class="tables">'));
    expect(html.slice(body, at('<section class="charts">'))).not.toContain('<table');
  });

  it('says per architecture what was expected and what it got, in the banner', () => {
    const banner = /<section class="verdict"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(banner).toContain('<div class="overall fail" data-overall="fail">✘ expectation not met: dedicated (fail)</div>');
    expect(banner).toContain(
      '<li class="pass" data-architecture="p2p" data-verdict="pass"><strong>p2p</strong> <span class="expected">expected reproduces-outage</span> <span class="got">got ✔ PASS: outage reproduced (4 of 5 checks met, 1 not measured)</span></li>',
    );
    expect(banner).toContain('<span class="got">got ✘ FAIL: missed: messages lost 3 (wanted &lt;= 0)</span>');
  });

  it('keeps a long target detail behind a toggle that shows its opening words, and a short one in the cell', () => {
    const report = fixtureReport();
    const [p2p, dedicated] = report.runs;
    if (p2p === undefined || dedicated === undefined) throw new Error('the fixture has two runs');
    const peers = Array.from({ length: 40 }, (_, i) => `supernode-${i + 1} (overloaded from t=${i}.0s, off at t=${i + 6}.0s)`).join(', ');
    const detail = `trigger healed at t=15.0s; 40 peer supernodes shut themselves off in overload that began after it: ${peers}`;
    const targets = p2p.targets.map((t) => (t.name === 'cascade continues after heal' ? { ...t, detail } : t));
    const page = renderHtmlReport({ ...report, runs: [{ ...p2p, targets }, dedicated] }, fixtureHistories(), assets);
    expect(page).toContain(`<td class="detail"><details class="long"><summary>trigger healed at t=15.0s</summary><p>${detail}</p></details></td>`);
    expect(page).toContain('<td class="detail">3 messages accepted but never delivered</td>');
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

  it('puts a small table of the published figures beside the measured ones in each run card', () => {
    const tables = html.match(/<table class="fidelity">[\s\S]*?<\/table>/g) ?? [];
    expect(tables).toHaveLength(2);
    expect(tables[0]).toContain('<caption>published figures vs this run (informational)</caption>');
    expect(tables[0]).toContain('<thead><tr><th>quantity</th><th>published</th><th>expected (scenario scale)</th><th>measured</th></tr></thead>');
    expect(tables[0]).toContain('<tr><td>online users 20 h after T0, share of normal</td><td>about 30%</td><td class="num">30%</td><td class="num">31.2%</td></tr>');
    expect(tables[0]).toContain('<tr><td>online users 30 h after T0, share of normal</td><td>about 90%</td><td class="num">90%</td><td class="num">—</td></tr>');
    expect(tables[0]).toContain('<tr><td>supernodes lost directly, share of supernodes</td><td>25-30% of supernodes</td><td class="num">27.5%</td><td class="num">25%</td></tr>');
    expect(tables[1]).toContain('<tr><td>online users 22 h after T0, share of normal</td><td>about 60%</td><td class="num">60%</td><td class="num">99%</td></tr>');
  });

  it('shows no fidelity table for a scenario that states no published figure', () => {
    const base = fixtureReport();
    const plain = { ...base, runs: base.runs.map((run) => ({ ...run, summary: { ...run.summary, fidelity: [] } })) };
    expect(renderHtmlReport(plain, fixtureHistories(), assets)).not.toContain('class="fidelity"');
  });

  it('puts the offered load per supernode, and what bounds the surge, in each run card', () => {
    const tables = html.match(/<table class="load">[\s\S]*?<\/table>/g) ?? [];
    expect(tables).toHaveLength(2);
    expect(tables[0]).toContain('<caption>offered load (per supernode)</caption>');
    expect(tables[0]).toContain('<td>peak load, predicted / measured</td>');
    expect(tables[0]).toContain('<td>surge per supernode / network</td>');
    const report = fixtureReport();
    const limit = 'the storm is bounded by 340 clients retrying 0.5 times a second';
    const [first, ...rest] = report.runs;
    if (first === undefined) throw new Error('no run in the fixture');
    const load = { predicted: null, steadyRequestsPerSupernode: 0.5, peakRequestsPerSupernode: 5, peakLoad: 2.5, busiestLoad: 4, peakAt: 1_000, surgeFactor: 10, networkSurgeFactor: 9, limit };
    const page = renderHtmlReport({ ...report, runs: [{ ...first, load }, ...rest] }, fixtureHistories(), assets);
    expect(page).toContain(`<p class="surge-limit">${limit}</p>`);
    expect(page).toContain('<td>surge per supernode / network</td><td class="num">10.0× / 9.0×</td>');
  });

  it('shows an unmeasured summary as — and plots no percentage without a steady state', () => {
    const page = renderHtmlReport(unmeasuredP2pReport(), fixtureHistories(), assets);
    const card = /<article class="arch" data-architecture="p2p"[\s\S]*?<\/article>/.exec(page)?.[0] ?? '';
    expect(card).toContain('<tr><td>steady online clients</td><td class="num">—</td></tr>');
    expect(card).toContain('<tr><td>messages lost</td><td class="num">—</td></tr>');
    expect(card).toContain('<tr><td>cascade continued after heal</td><td class="num">—</td></tr>');
    expect(card).toContain('<tr><td>online users 20 h after T0, share of normal</td><td>about 30%</td><td class="num">30%</td><td class="num">—</td></tr>');
    const series = dataOf(page).series.p2p as unknown as { onlinePercent: (number | null)[] };
    expect(series.onlinePercent.length).toBeGreaterThan(0);
    expect(series.onlinePercent.every((v) => v === null)).toBe(true);
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

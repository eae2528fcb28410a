import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium, offlinePage } from './helpers/offline-browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHARTS_PER_ARCHITECTURE, COMPARISON_CHART } from '../../harness/report/html-report.js';
import { writeReports } from '../../harness/report/write-reports.js';
import { RUN_END_MS, TIMELINE_START_MS, fixtureHistories, fixtureReport } from '../unit/report/fixtures.js';

/** Where the test keeps what it saw: the page at 1280 px, its first screen and the whole of it. */
const artifactDir = resolve('reports', 'artifacts');
const WIDTH = 1280;
const HEIGHT = 800;

const hostileDescription = 'Cascade </script><img src=x onerror="window.__pwned=1"> & friends';

/** The fixture report with a detail as long as a skype-2010 cascade's: forty supernodes and their times. */
function reportWithLongDetail(): ReturnType<typeof fixtureReport> {
  const report = fixtureReport({ description: hostileDescription });
  const peers = Array.from({ length: 40 }, (_, i) => `supernode-${i + 1} (overloaded from t=${100 + i}.0s, off at t=${106 + i}.0s)`).join(', ');
  const detail = `trigger healed at t=15.0s; 40 peer supernodes shut themselves off in overload that began after it: ${peers}`;
  return {
    ...report,
    runs: report.runs.map((run) => ({ ...run, targets: run.targets.map((t) => (t.name === 'cascade continues after heal' ? { ...t, detail } : t)) })),
  };
}

interface ChartProbe {
  architecture: string;
  chart: string;
  canvasWidth: number;
  canvasHeight: number;
  faultWindows: number;
  remedyLines: number;
  markLines: number;
  insideTinted: number;
  outsideTinted: number;
  samples: number;
  xRange: [number, number];
  leadIn: [number, number];
  plotLeft: number;
  plotWidth: number;
}

describe('report.html in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  let htmlPath: string;
  let junitPath: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'report-html-'));
    const written = await writeReports(dir, reportWithLongDetail(), fixtureHistories());
    htmlPath = written.html;
    junitPath = written.junit;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('renders every chart offline, shades the fault windows and shows the verdicts', async () => {
    const { page, blocked, consoleErrors } = await offlinePage(browser, { width: WIDTH, height: HEIGHT });

    await page.goto(pathToFileURL(htmlPath).href);
    await page.waitForFunction(() => document.documentElement.dataset['chartsRendered'] !== undefined);

    expect(blocked).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('p.description').textContent()).toBe(hostileDescription);

    const probes = await page.evaluate(() => {
      const isTinted = (d: Uint8ClampedArray): boolean => d[3]! > 0 && d[0]! - d[2]! > 12 && d[0]! - d[1]! > 12;
      return [...document.querySelectorAll<HTMLElement>('.uplot')].map((root) => {
        const canvas = root.querySelector('canvas')!;
        const ctx = canvas.getContext('2d')!;
        const rects = JSON.parse(root.dataset['faultRects'] ?? '[]') as [number, number][];
        const [left, top, width, height] = JSON.parse(root.dataset['plotBox'] ?? '[0,0,0,0]') as number[];
        const host = root.parentElement!;
        let insideTinted = 0;
        let outsideTinted = 0;
        let samples = 0;
        const first = rects[0];
        if (first !== undefined) {
          const inside = Math.round((first[0] + first[1]) / 2);
          const outside = Math.round(left! + 2);
          for (let i = 1; i < 20; i += 1) {
            const y = Math.round(top! + (height! * i) / 20);
            samples += 1;
            if (isTinted(ctx.getImageData(inside, y, 1, 1).data)) insideTinted += 1;
            if (isTinted(ctx.getImageData(outside, y, 1, 1).data)) outsideTinted += 1;
          }
        }
        return {
          architecture: host.dataset['architecture'] ?? 'all',
          chart: host.dataset['chart'] ?? '',
          canvasWidth: canvas.width,
          canvasHeight: canvas.height,
          faultWindows: Number(root.dataset['faultWindows']),
          remedyLines: Number(root.dataset['remedyLines']),
          markLines: Number(root.dataset['markLines']),
          insideTinted,
          outsideTinted,
          samples,
          xRange: JSON.parse(root.dataset['xRange'] ?? '[0,0]') as [number, number],
          leadIn: JSON.parse(root.dataset['leadIn'] ?? '[0,0]') as [number, number],
          plotLeft: left!,
          plotWidth: width!,
        };
      });
    });

    const report = fixtureReport();
    expect(probes).toHaveLength(report.runs.length * CHARTS_PER_ARCHITECTURE + 1);
    for (const arch of ['p2p', 'dedicated']) {
      const charts: ChartProbe[] = probes.filter((p) => p.architecture === arch);
      expect(charts.map((c) => c.chart).sort()).toEqual(['load', 'lookups', 'online', 'supernodes']);
      for (const chart of charts) {
        expect(chart.canvasWidth, `${arch}/${chart.chart} width`).toBeGreaterThan(200);
        expect(chart.canvasHeight).toBeGreaterThan(100);
        // the shaded window is tinted red at most heights; the plot's left edge (before any fault) is not
        expect(chart.insideTinted, `${arch}/${chart.chart} inside`).toBeGreaterThanOrEqual(chart.samples - 4);
        expect(chart.outsideTinted, `${arch}/${chart.chart} outside`).toBeLessThanOrEqual(2);
      }
    }
    const p2pOnline = probes.find((p) => p.architecture === 'p2p' && p.chart === 'online')!;
    expect(p2pOnline).toMatchObject({ faultWindows: 1, remedyLines: 2, markLines: 2 });
    const dedicatedOnline = probes.find((p) => p.architecture === 'dedicated' && p.chart === 'online')!;
    expect(dedicatedOnline).toMatchObject({ faultWindows: 2, remedyLines: 1, markLines: 1 });
    // Both architectures' online share on one chart: the shared trigger once, the crash only dedicated had named so.
    const comparison = probes.find((p) => p.chart === COMPARISON_CHART)!;
    expect(comparison).toMatchObject({ architecture: 'all', faultWindows: 2, remedyLines: 3 });
    expect(await page.locator('.comparison .u-legend .u-series').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('p2p online'), expect.stringContaining('dedicated online')]));

    // The x axis begins just before T0: the time before it takes a tenth of the width at most, shaded grey.
    const t0 = TIMELINE_START_MS / 1000;
    for (const chart of [p2pOnline, dedicatedOnline]) {
      const [min, max] = chart.xRange;
      expect((t0 - min) / (max - min), `${chart.architecture} lead-in share`).toBeLessThanOrEqual(0.11);
      expect(max).toBeGreaterThanOrEqual((RUN_END_MS - 4_000) / 1000);
      const [lead0, lead1] = chart.leadIn;
      expect(lead0).toBe(Math.round(chart.plotLeft));
      expect(lead1 - lead0).toBeGreaterThan(0);
      expect((lead1 - lead0) / chart.plotWidth).toBeLessThanOrEqual(0.11);
    }
    expect(comparison.xRange[0]).toBeLessThan(0);
    expect(-comparison.xRange[0] / (comparison.xRange[1] - comparison.xRange[0])).toBeLessThanOrEqual(0.11);

    for (const run of report.runs) {
      const rows = page.locator(`article[data-architecture="${run.architecture}"] table.targets tbody tr`);
      expect(await rows.count()).toBe(run.targets.length);
      for (const [index, target] of run.targets.entries()) {
        const row = rows.nth(index);
        expect(await row.getAttribute('data-outcome')).toBe(target.outcome);
        expect(await row.locator('td.verdict').textContent()).toContain(target.outcome);
      }
    }
    expect(await page.locator('td.verdict', { hasText: 'fail' }).first().evaluate((el) => getComputedStyle(el).color)).toBe('rgb(207, 34, 46)');

    await page.close();
  });

  it('shows the verdict first, then the charts, then the tables, and nothing overflows at 1280 px', async () => {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT } });
    await page.goto(pathToFileURL(htmlPath).href);
    await page.waitForFunction(() => document.documentElement.dataset['chartsRendered'] !== undefined);

    const layout = await page.evaluate(() => {
      const top = (el: Element): number => el.getBoundingClientRect().top + window.scrollY;
      const bottom = (el: Element): number => el.getBoundingClientRect().bottom + window.scrollY;
      const charts = [...document.querySelectorAll('.uplot')];
      const tables = [...document.querySelectorAll('table:not(.u-legend)')];
      const banner = document.querySelector('section.verdict')!;
      const overflowing = [...document.body.querySelectorAll('*')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 || el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
      return {
        bannerBottom: bottom(banner),
        bannerLines: [...banner.querySelectorAll('li')].map((li) => li.textContent ?? ''),
        firstChartTop: Math.min(...charts.map(top)),
        lastChartBottom: Math.max(...charts.map(bottom)),
        firstTableTop: Math.min(...tables.map(top)),
        comparisonTop: top(document.querySelector('.comparison')!),
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        overflowing,
      };
    });
    expect(layout.bannerLines).toHaveLength(2);
    expect(layout.bannerLines[0]).toContain('expected reproduces-outage');
    expect(layout.bannerLines[0]).toContain('got ✔ PASS');
    expect(layout.bannerLines[1]).toContain('got ✘ FAIL');
    expect(layout.bannerBottom).toBeLessThanOrEqual(layout.firstChartTop);
    expect(layout.comparisonTop).toBeLessThan(HEIGHT);
    expect(layout.lastChartBottom).toBeLessThanOrEqual(layout.firstTableTop);
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth);
    expect(layout.overflowing).toEqual([]);

    // A long detail is closed until asked for.
    const toggles = await page.locator('td.detail details.long').all();
    expect(toggles).toHaveLength(1);
    expect(await toggles[0]!.getAttribute('open')).toBeNull();
    expect(await toggles[0]!.locator('summary').textContent()).toBe('trigger healed at t=15.0s');

    await mkdir(artifactDir, { recursive: true });
    await page.screenshot({ path: join(artifactDir, 'report-html-1280-first-screen.png') });
    await page.screenshot({ path: join(artifactDir, 'report-html-1280.png'), fullPage: true });
    await page.close();
  });

  it('writes JUnit XML that a strict XML parser accepts', async () => {
    const xml = await readFile(junitPath, 'utf8');
    const page = await browser.newPage();
    const result = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      return {
        error: doc.getElementsByTagName('parsererror').length,
        suites: doc.getElementsByTagName('testsuite').length,
        cases: doc.getElementsByTagName('testcase').length,
        failures: doc.getElementsByTagName('failure').length,
      };
    }, xml);
    await page.close();
    expect(result).toEqual({ error: 0, suites: 2, cases: 12, failures: 2 });
  });
});

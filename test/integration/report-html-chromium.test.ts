import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHARTS_PER_ARCHITECTURE } from '../../harness/report/html-report.js';
import { writeReports } from '../../harness/report/write-reports.js';
import { fixtureHistories, fixtureReport } from '../unit/report/fixtures.js';

const hostileDescription = 'Cascade </script><img src=x onerror="window.__pwned=1"> & friends';

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
}

describe('report.html in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  let htmlPath: string;
  let junitPath: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'report-html-'));
    const written = await writeReports(dir, fixtureReport({ description: hostileDescription }), fixtureHistories());
    htmlPath = written.html;
    junitPath = written.junit;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('renders every chart offline, shades the fault windows and shows the verdicts', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const blocked: string[] = [];
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith('file://')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));

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
          architecture: host.dataset['architecture'] ?? '',
          chart: host.dataset['chart'] ?? '',
          canvasWidth: canvas.width,
          canvasHeight: canvas.height,
          faultWindows: Number(root.dataset['faultWindows']),
          remedyLines: Number(root.dataset['remedyLines']),
          markLines: Number(root.dataset['markLines']),
          insideTinted,
          outsideTinted,
          samples,
          plotWidth: width,
        };
      });
    });

    const report = fixtureReport();
    expect(probes).toHaveLength(report.runs.length * CHARTS_PER_ARCHITECTURE);
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

    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
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

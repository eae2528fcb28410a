import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium, offlinePage } from './helpers/offline-browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeIndexReports } from '../../harness/report/write-index-reports.js';
import { fixtureLibrary, type FixtureLibrary } from '../unit/report/index-fixtures.js';

/** Where the test keeps what it saw: the index at 1280 px. */
const artifactDir = resolve('reports', 'artifacts');
const WIDTH = 1280;
const HEIGHT = 800;

describe('index.html of chaos run --all in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  let library: FixtureLibrary;
  let indexPath: string;
  let junitPath: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'index-html-'));
    library = await fixtureLibrary(dir);
    const written = await writeIndexReports(dir, library.document, library.run.results);
    indexPath = written.html;
    junitPath = written.junit[0]!;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('shows the verdict first, then a row per scenario, fetches nothing, and nothing overflows at 1280 px', async () => {
    const { page, blocked, consoleErrors } = await offlinePage(browser, { width: WIDTH, height: HEIGHT });
    await page.goto(pathToFileURL(indexPath).href);

    const layout = await page.evaluate(() => {
      const top = (el: Element): number => el.getBoundingClientRect().top + window.scrollY;
      const bottom = (el: Element): number => el.getBoundingClientRect().bottom + window.scrollY;
      const banner = document.querySelector('.overall')!;
      const table = document.querySelector('table.scenarios')!;
      const overflowing = [...document.body.querySelectorAll('*')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 || (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible'))
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
      const beforeBanner = [...document.body.querySelectorAll('*')].filter((el) => el !== banner && !el.contains(banner) && bottom(el) <= top(banner) && el.tagName !== 'H1');
      return {
        banner: { text: banner.textContent ?? '', overall: (banner as HTMLElement).dataset['overall'], top: top(banner), bottom: bottom(banner), color: getComputedStyle(banner).color },
        beforeBanner: beforeBanner.map((el) => el.tagName.toLowerCase()),
        tableTop: top(table),
        rows: [...table.querySelectorAll('tbody tr')].map((row) => ({
          scenario: (row as HTMLElement).dataset['scenario'],
          verdict: row.querySelector('td.verdict')?.textContent ?? '',
          architectures: [...row.querySelectorAll('li')].map((li) => li.textContent ?? ''),
          href: row.querySelector('a')?.getAttribute('href') ?? null,
        })),
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        overflowing,
      };
    });

    expect(blocked).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(layout.banner.overall).toBe('fail');
    expect(layout.banner.text).toMatch(/^✘ FAIL: 1 of 5 scenarios passed; missed: skype-2010, /);
    expect(layout.banner.color).toBe('rgb(207, 34, 46)');
    expect(layout.beforeBanner).toEqual([]);
    expect(layout.banner.bottom).toBeLessThanOrEqual(layout.tableTop);
    expect(layout.banner.bottom).toBeLessThan(HEIGHT);
    expect(layout.rows.map((row) => row.scenario)).toEqual(library.document.scenarios.map((entry) => entry.scenario));
    expect(layout.rows[0]).toMatchObject({ verdict: '✘ FAIL', architectures: ['p2p expected reproduces-outage, got ✔ PASS', 'dedicated expected meets-targets, got ✘ FAIL'] });
    expect(layout.rows.at(-1)).toMatchObject({ href: null });
    expect(layout.rows.at(-1)?.verdict).toContain('– NOT RUN');
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth);
    expect(layout.overflowing).toEqual([]);

    await mkdir(artifactDir, { recursive: true });
    await page.screenshot({ path: join(artifactDir, 'index-html-1280.png'), fullPage: true });
    await page.close();
  });

  it('links every scenario that ran to its own report.html, relative to the index', async () => {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT } });
    const rows = library.document.scenarios.map((entry, index) => ({ entry, index })).filter(({ entry }) => entry.reports !== null);
    expect(rows).toHaveLength(4);
    for (const { entry, index } of rows) {
      await page.goto(pathToFileURL(indexPath).href);
      await page.locator('tbody tr').nth(index).locator('a').click();
      await page.waitForURL((url) => url.href.endsWith('/report.html'));
      expect(decodeURIComponent(new URL(page.url()).pathname)).toBe(join(dir, entry.scenario, 'report.html'));
      expect(await page.title()).toContain(entry.scenario);
    }
    await page.close();
  });

  it('writes JUnit XML that a strict XML parser accepts, one testsuite per scenario', async () => {
    const xml = await readFile(junitPath, 'utf8');
    const page = await browser.newPage();
    const result = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      return {
        error: doc.getElementsByTagName('parsererror').length,
        suites: [...doc.getElementsByTagName('testsuite')].map((suite) => suite.getAttribute('name')),
        nested: doc.querySelectorAll('testsuite testsuite').length,
      };
    }, xml);
    await page.close();
    expect(result).toEqual({ error: 0, suites: library.document.scenarios.map((entry) => entry.scenario), nested: 0 });
  });
});

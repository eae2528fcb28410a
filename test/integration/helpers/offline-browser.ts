import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, headless, with nothing of its own reaching the network (no tool may download a browser). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

export interface WatchedPage {
  readonly page: Page;
  /** Every request the page made beyond file://, each refused. */
  readonly blocked: string[];
  /** Console errors and uncaught page errors. */
  readonly consoleErrors: string[];
}

/** A page that may load only file:// URLs, with what it tried to fetch and every error it raised kept for the test. */
export async function offlinePage(browser: Browser, viewport: { width: number; height: number }): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport });
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
  return { page, blocked, consoleErrors };
}

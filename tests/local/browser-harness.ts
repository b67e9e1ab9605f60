/**
 * Headless Chromium for the playground's browser tests (Debian's chromium package, driven by
 * playwright-core): one launch recipe and one skip rule for every browser test file.
 * Outside CI a machine without the browser skips the file with install instructions; under
 * CI=true the browser is a prerequisite, so the launch runs (and fails loudly) when it is missing.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { tempDir } from './playground-harness.js';

export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/**
 * True when this file's browser tests should be skipped (and says how to install the browser).
 * @example describe.skipIf(browserMissing('playground browser test'))('…', () => { … })
 */
export function browserMissing(what: string): boolean {
  const missing = !existsSync(CHROMIUM) && process.env.CI !== 'true';
  if (missing)
    console.warn(`${what} skipped: ${CHROMIUM} not found. Install it with \`sudo apt-get install -y chromium fonts-noto-color-emoji\` (fonts for emoji), then rerun npm test.`);
  return missing;
}

export interface OpenBrowser {
  browser: BrowserContext;
  page: Page;
  /** Script errors the page raised (tests assert it stays empty). */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Launch Chromium with a fresh profile, open `url` and wait for the playground to render.
 * @example const b = await openBrowser(pg.base, ARTIFACTS); … await b.close();
 */
export async function openBrowser(url: string, artifactsDir: string): Promise<OpenBrowser> {
  mkdirSync(artifactsDir, { recursive: true });
  const profile = tempDir('frontdesk-chromium-');
  const browser = await chromium.launchPersistentContext(profile.dir, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1440, height: 900 } });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(url);
  await page.locator('#messages .empty').waitFor();
  return {
    browser,
    page,
    pageErrors,
    close: async () => {
      await browser.close();
      profile.cleanup();
    },
  };
}

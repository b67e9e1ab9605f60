/**
 * Known answers in the playground, end to end in headless Chromium (same set-up as
 * playground-browser.test.ts): out of the box the playground reads the sample answers in
 * examples/knowledge and works in triage mode. A customer asks a documented question, gets the
 * answer in their thread, clicks "✅ That solved it", and the agents' card in #triage shows the
 * ticket as deflected. Another customer asks something undocumented: no answer is offered, and
 * the agents get the card in #triage to work on. Screenshots go to test-artifacts/knowledge/.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, type OpenBrowser, openBrowser } from './browser-harness.js';
import { type RunningPlayground, startPlayground } from './playground-harness.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/knowledge/', import.meta.url));
const STEP_MS = 60_000;

describe.skipIf(browserMissing('knowledge browser test'))('known answers in the playground', () => {
  let pg: RunningPlayground;
  let open: OpenBrowser;
  let page: Page;
  let pageErrors: string[] = [];

  const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}${name}.png` });
  const become = async (id: string, name: string) => {
    await page.selectOption('#whoami', id);
    await page.locator('#composer-hint', { hasText: name }).waitFor();
  };
  const say = async (text: string) => {
    await page.fill('#composer-input', text);
    await page.press('#composer-input', 'Enter');
  };

  beforeAll(async () => {
    // The playground as `npm start` runs it: private #triage, sample answers (no knowledge config).
    pg = await startPlayground({ playground: { triage: true } });
    open = await openBrowser(pg.base, ARTIFACTS);
    ({ page, pageErrors } = open);
  }, STEP_MS);

  afterAll(async () => {
    await open?.close();
    await pg?.close();
  });

  it(
    'a customer asks a documented question, gets the answer, and “That solved it” deflects the ticket',
    async () => {
      expect(pg.core.config.knowledge.paths).toEqual(['examples/knowledge']);
      await say('How do I reset my password?');
      const offer = page.locator('#thread .msg', { hasText: 'Reset your password', has: page.locator('button', { hasText: 'That solved it' }) });
      await offer.waitFor();
      await expect(offer.locator('button', { hasText: 'I still need help' }).count()).resolves.toBe(1);
      await expect(offer.textContent()).resolves.not.toMatch(/matched|score/);
      await shot('01-answer-offered');
      await offer.locator('button', { hasText: 'That solved it' }).click();
      await page.locator('#thread .msg', { hasText: 'Glad that solved it' }).waitFor();
      await expect(page.locator('#thread button', { hasText: 'That solved it' }).count()).resolves.toBe(0);
      expect(pg.core.tickets.require('T-1001')).toMatchObject({ status: 'resolved', firstResponseAt: null });
      await shot('02-solved');

      // The agents' side: the card in #triage says the ticket was deflected.
      await page.click('#thread-close');
      await become('dana', 'Dana Whitfield');
      await page.click('[data-channel="triage"]');
      const card = page.locator('#messages .msg', { has: page.locator('.mv-header', { hasText: 'T-1001 ·' }) });
      await card.filter({ hasText: 'Deflected' }).waitFor();
      await expect(card.textContent()).resolves.toContain('Resolved');
      await shot('03-card-deflected');
    },
    STEP_MS,
  );

  it(
    'another customer asks something undocumented: no answer is offered and the agents are paged',
    async () => {
      await become('alex', 'Alex Rivera');
      await page.click('[data-channel="support"]');
      await say('The dashboard shows a blank page after the last update');
      await page.locator('#thread .msg', { hasText: 'T-1002' }).waitFor();
      await expect(page.locator('#thread button', { hasText: 'That solved it' }).count()).resolves.toBe(0);
      await page.click('#thread-close');
      await become('dana', 'Dana Whitfield');
      await page.click('[data-channel="triage"]');
      const card = page.locator('#messages .msg', { has: page.locator('.mv-header', { hasText: 'T-1002 ·' }) });
      await card.waitFor();
      await expect(card.textContent()).resolves.not.toContain('Known answer offered');
      await expect(card.locator('button', { hasText: 'Resolve' }).count()).resolves.toBe(1);
      const t = pg.core.tickets.require('T-1002');
      expect(t).toMatchObject({ status: 'triaged', snoozedUntil: null });
      expect(pg.core.db.prepare<[number], { offered: number }>('SELECT offered FROM knowledge_decisions WHERE ticket_id = ?').get(t.id)).toEqual({ offered: 0 });
      await shot('04-undocumented-card');
      expect(pageErrors).toEqual([]);
    },
    STEP_MS,
  );
});

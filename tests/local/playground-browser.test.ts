/**
 * The playground end to end in headless Chromium (Debian's chromium package, driven by
 * playwright-core), with the default private #triage channel as `npm start` has it. As a
 * customer: #triage is not in the channel list, and the request's thread shows the
 * acknowledgement with no buttons and no internal wording. As an agent: #triage shows the card
 * with its buttons; "Assign to me" then "Resolve" update it in place; "Reply to customer" puts the
 * answer in the customer's thread in the agent's name; `/ticket list` answers privately; a jump
 * of the clock past a P1 first-response deadline shows the breach prompt in the card's thread.
 * Screenshots of each step go to test-artifacts/playground/ (git-ignored).
 */
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, type OpenBrowser, openBrowser } from './browser-harness.js';
import { type RunningPlayground, startPlayground } from './playground-harness.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/playground/', import.meta.url));
const STEP_MS = 60_000;

describe.skipIf(browserMissing('playground browser test'))('the playground in a browser', () => {
  let pg: RunningPlayground;
  let open: OpenBrowser;
  let page: Page;
  let pageErrors: string[] = [];
  let cardId = '';
  let sourceId = '';
  const INTERNAL_WORDS = /Escalat|SLA|Suggested reply|handling plan|Customer need|Priority|Category|learner|matched|agents only|Note on|Tier 2|Assign to me|\bResolve\b|AI /i;

  const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}${name}.png` });
  /** A ticket card in the channel shown (in #triage: a top-level message). */
  const card = (key: string): Locator => page.locator('#messages .msg', { has: page.locator('.mv-header', { hasText: `${key} ·` }) });
  const become = async (id: string) => {
    await page.selectOption('#whoami', id);
    await page.locator('#composer-hint', { hasText: id === 'dana' ? 'Dana Whitfield' : 'Alex Rivera' }).waitFor();
  };
  const go = async (channel: string) => {
    await page.click(`[data-channel="${channel}"]`);
    await page.locator('#channel-title', { hasText: `# ${channel}` }).waitFor();
  };
  const say = async (text: string) => {
    await page.fill('#composer-input', text);
    await page.press('#composer-input', 'Enter');
  };

  beforeAll(async () => {
    // The playground as `npm start` runs it: a private #triage channel for agents.
    pg = await startPlayground({ playground: { triage: true } });
    open = await openBrowser(pg.base, ARTIFACTS);
    ({ page, pageErrors } = open);
  }, STEP_MS);

  afterAll(async () => {
    await open?.close();
    await pg?.close();
  });

  it(
    'shows the playground: banner, channel, clock, and a customer to start as, who does not see #triage',
    async () => {
      await expect(page.locator('.banner').textContent()).resolves.toContain('Local development surface');
      await expect(page.locator('#channel-title').textContent()).resolves.toBe('# support');
      await expect(page.locator('#whoami').inputValue()).resolves.toBe('alex');
      await expect(page.locator('#clock-now').textContent()).resolves.toMatch(/\d\d:\d\d:\d\d/);
      await expect(page.locator('[data-channel="support"]').count()).resolves.toBe(1);
      await expect(page.locator('[data-channel="triage"]').count()).resolves.toBe(0);
      await shot('00-empty');
    },
    STEP_MS,
  );

  it(
    'as a customer, the request’s thread shows the acknowledgement with no buttons and no internal wording',
    async () => {
      await say('Login with SSO fails for me since this morning: "invalid SAMLResponse" <b>help</b>');
      await page.locator('#messages .msg', { hasText: 'invalid SAMLResponse' }).waitFor();
      await expect(page.locator('#messages .msg', { hasText: '<b>help</b>' }).count()).resolves.toBe(1);
      const ack = page.locator('#thread .msg', { hasText: 'we have your request: T-1001' });
      await ack.waitFor();
      sourceId = pg.core.tickets.require('T-1001').threadId ?? '';
      await expect(page.locator('#thread button[data-action-id]').count()).resolves.toBe(0);
      await expect(page.locator('#messages button[data-action-id]').count()).resolves.toBe(0);
      await expect(ack.textContent()).resolves.not.toMatch(INTERNAL_WORDS);
      await expect(page.locator('#thread .mv-header', { hasText: 'T-1001 ·' }).count()).resolves.toBe(0);
      await shot('01-customer-acknowledgement');
    },
    STEP_MS,
  );

  it(
    'as an agent, #triage shows the card with its buttons; Assign to me updates it in place',
    async () => {
      await page.click('#thread-close');
      await become('dana');
      await go('triage');
      await card('T-1001').waitFor();
      cardId = (await card('T-1001').getAttribute('data-id')) ?? '';
      expect(cardId).toMatch(/^m\d+$/);
      for (const label of ['Assign to me', 'Reply to customer', 'Resolve']) await expect(card('T-1001').locator('button', { hasText: label }).count()).resolves.toBe(1);
      await shot('02-triage-card');
      await card('T-1001').locator('button', { hasText: 'Assign to me' }).click();
      await page.locator(`#messages .msg[data-id="${cardId}"]`, { hasText: '@Dana Whitfield', hasNotText: 'Assign to me' }).waitFor();
      await shot('03-assigned');
    },
    STEP_MS,
  );

  it(
    'Reply to customer puts the answer in the customer’s thread in the agent’s name, with no buttons; Resolve updates the card in place',
    async () => {
      await card('T-1001').locator('button', { hasText: 'Reply to customer' }).click();
      await page.locator('#modal-body textarea').fill('We renewed the SSO certificate — please try again.');
      await page.locator('#modal-body button[type="submit"]').click();
      await expect.poll(() => pg.core.tickets.require('T-1001').firstResponseAt, { timeout: 10_000 }).not.toBeNull();
      await page.locator('#toasts', { hasText: 'in your name' }).waitFor();
      await card('T-1001').locator('button', { hasText: 'Resolve' }).click();
      await page.locator(`#messages .msg[data-id="${cardId}"]`, { hasText: 'Reopen' }).waitFor();
      await expect(card('T-1001').textContent()).resolves.toContain('Resolved');
      expect(pg.core.tickets.require('T-1001')).toMatchObject({ ownerId: 'dana', status: 'resolved' });
      // Resolving asks for the optional resolution note; one click skips it.
      const noteForm = page.locator('#modal', { hasText: 'Resolved T-1001' });
      await noteForm.waitFor();
      await noteForm.locator('[data-form-cancel]').click();
      await noteForm.waitFor({ state: 'hidden' });
      await shot('03-resolved');
      await become('alex');
      // Dana's notices went with her: the "you are" switch shows only what Alex would see.
      await expect(page.locator('#toasts').textContent()).resolves.toBe('');
      await page.locator(`#messages .msg[data-id="${sourceId}"] [data-open-thread]`).first().click();
      const reply = page.locator('#thread .msg', { hasText: 'renewed the SSO certificate' });
      await reply.waitFor();
      await expect(reply.textContent()).resolves.toContain('Dana Whitfield');
      // The resolution message's rating buttons are the only buttons a customer ever gets.
      await page.locator('#thread button[data-action-id="csat.rate"]').first().waitFor();
      const actionIds = await page.locator('#thread button[data-action-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action-id')));
      expect(actionIds.length).toBeGreaterThan(0);
      expect(actionIds.every((id) => id === 'csat.rate' || id === 'csat.still_broken')).toBe(true);
      await expect(page.locator('#thread').textContent()).resolves.not.toMatch(INTERNAL_WORDS);
      await shot('04-customer-sees-reply-and-csat');
      await page.click('#thread-close');
    },
    STEP_MS,
  );

  it(
    'runs /ticket list from the message box in #triage and shows the answer only to the agent',
    async () => {
      await become('dana');
      await go('triage');
      await say('/ticket list');
      const answer = page.locator('#messages .msg.is-ephemeral', { hasText: '/ticket list' });
      await answer.waitFor();
      await expect(answer.textContent()).resolves.toMatch(/Only visible to you[\s\S]*Open tickets \(0\)/);
      await shot('05-ticket-list');
    },
    STEP_MS,
  );

  it(
    'jumps the clock past a P1 first-response deadline and shows the breach prompt in the card’s thread in #triage',
    async () => {
      await become('alex');
      await go('support');
      await say('Our whole team cannot log in with SSO since 9am, nobody can reach the dashboard');
      await page.locator('#thread .msg', { hasText: 'we have your request: T-1002' }).waitFor();
      expect(pg.core.tickets.require('T-1002').priority).toBe('P1');
      await page.click('#thread-close');
      await become('dana');
      await go('triage');
      await card('T-1002').waitFor();
      const before = await page.locator('#clock-now').textContent();
      await page.click('[data-jump="86400000"]');
      await expect(page.locator('#clock-now').textContent()).resolves.not.toBe(before);
      const t2 = pg.core.tickets.require('T-1002');
      await expect.poll(() => JSON.stringify(pg.pg.store.get(t2.cardMessageId!)?.view ?? ''), { timeout: 10_000 }).toContain('first response overdue by');
      await card('T-1002').locator('[data-open-thread]').first().click();
      const prompt = page.locator('#thread .msg', { hasText: 'missed its first response SLA' });
      await prompt.waitFor();
      await expect(prompt.locator('button', { hasText: 'Take it' }).count()).resolves.toBe(1);
      await shot('06-breach-prompt');
      await page.click('#thread-close');
      // The customer's thread still has only the acknowledgement.
      await become('alex');
      await go('support');
      const msgs = pg.pg.store.messagesFor('support', 'alex').filter((m) => m.threadId === t2.threadId);
      expect(msgs.map((m) => m.view?.audience)).toEqual(['customer']);
    },
    STEP_MS,
  );

  it(
    'shows the queue like an App Home, and no script errors happened',
    async () => {
      await become('dana');
      await page.click('#nav-home');
      await page.locator('#queue', { hasText: 'T-1002' }).waitFor();
      await expect(page.locator('#queue').textContent()).resolves.toContain('Team queue by priority');
      await shot('07-queue');
      expect(pageErrors).toEqual([]);
    },
    STEP_MS,
  );

  it(
    "as the customer: the queue has only their requests and no buttons; the resolved request's thread asks for a rating",
    async () => {
      await page.selectOption('#whoami', 'alex');
      await page.click('#nav-home');
      await page.locator('#queue', { hasText: 'Your requests' }).waitFor();
      await expect(page.locator('#queue button').count()).resolves.toBe(0);
      await expect(page.locator('#queue').textContent()).resolves.not.toContain('Team queue');
      await shot('07-customer-queue');
      const asks = await page.request.get(`${pg.base}/local/api/channels/support/messages?as=alex`);
      const rating = ((await asks.json()) as { messages: { html: string }[] }).messages.find((m) => m.html.includes('data-action-id="csat.rate"'));
      expect(rating?.html).toContain('T-1001 is resolved');
      expect(pageErrors).toEqual([]);
    },
    STEP_MS,
  );
});

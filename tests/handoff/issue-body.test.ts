/**
 * The engineering issue body (src/handoff/issue-body.ts): what an engineer needs — impact, steps,
 * environment, redacted errors, analyst checks, the internal link — and never the customer's
 * personal data (name, e-mail, phone, requester id).
 */
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/ai/redact.js';
import { environmentLines, followUpDraft, issueDraft, logExcerpts, MAX_BODY, reproSteps, scrub } from '../../src/handoff/issue-body.js';

const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);

const REQUEST = `Hi team, checkout fails for our whole store since this morning. Customers see a blank page after paying.
Steps to reproduce:
- open https://shop.example/checkout
- pay with the test card 4111 1111 1111 1111
Expected: the order confirmation
Actual: blank page

Browser: Chrome 120 on macOS 14.2
App version: 3.4.1

\`\`\`
TypeError: Cannot read properties of undefined (reading 'total')
    at renderSummary (checkout.js:88:12)
POST /api/pay 502 Bad Gateway token=sk-live-abcdefghijklmnopqrstu
\`\`\`
Contact me at maria.lopez@bigcorp.example or +49 30 1234 5678.
Thanks,
Maria Lopez`;

function base(overrides: Partial<Parameters<typeof issueDraft>[0]> = {}) {
  return issueDraft({
    ticket: { key: 'T-1042', title: 'Checkout fails for Maria Lopez (maria.lopez@bigcorp.example)', text: REQUEST, category: 'bug', priority: 'P1' },
    thread: ['Also on Firefox 121. Error code ERR_PAY_502 in the console.', '1. log in as U0CUSTOMER\n2. add two items\n3. click Pay'],
    impact: [
      { key: 'T-1042', requesterId: 'U0CUSTOMER', createdAt: T0 + 3_600_000 },
      { key: 'T-1043', requesterId: 'U0OTHER', createdAt: T0 },
      { key: 'T-1045', requesterId: 'U0CUSTOMER', createdAt: T0 + 7_200_000 },
    ],
    tier: 'enterprise',
    vip: true,
    checks: ['Checkout completes for a test order in production', 'Error rate of /api/pay back under 0.1%'],
    internalLink: 'https://acme.slack.com/archives/C0TRIAGE/p1773136800000100',
    people: ['Maria Lopez', 'U0CUSTOMER', 'U0OTHER'],
    timezone: 'Europe/Berlin',
    ...overrides,
  });
}

describe('issue body', () => {
  it('has summary, impact (tickets, customers, tier, since when), steps, environment, redacted logs, analyst checks and the internal link', () => {
    const { title, body } = base();
    expect(title).toBe('Checkout fails for [name] ([email])');
    expect(body).toMatch(/^## Summary\nHi team, checkout fails for our whole store since this morning\. Customers see a blank page after paying\.\n\n_bug · P1 · from frontdesk ticket T-1042_\n/);
    expect(body).toContain('- **Reports:** 3 tickets from 2 customers (T-1042, T-1043, T-1045)');
    expect(body).toContain('- **Requester tier:** enterprise (VIP)');
    // The earliest linked report, in the desk's zone.
    expect(body).toContain('- **Since:** 2026-11-23 11:00 GMT+1 (earliest report)');
    expect(body).toContain('## Steps to reproduce\n1. open https://shop.example/checkout\n2. pay with the test card [card]\n3. log in as [name]\n4. add two items\n5. click Pay\n- Expected: the order confirmation\n- Actual: blank page');
    expect(body).toContain('- Browser: Chrome 120 on macOS 14.2');
    expect(body).toContain('- App version: 3.4.1');
    expect(body).toContain('- Also on Firefox 121. Error code ERR_PAY_502 in the console.');
    expect(body).toContain("## Logs and errors (redacted)\n```\nTypeError: Cannot read properties of undefined (reading 'total')\n    at renderSummary (checkout.js:88:12)\nPOST /api/pay 502 Bad Gateway token=[secret]");
    expect(body).toContain('- [ ] Checkout completes for a test order in production');
    expect(body).toContain('[T-1042 in frontdesk](https://acme.slack.com/archives/C0TRIAGE/p1773136800000100)');
  });

  it('never carries the customer’s name, e-mail, phone, card or requester id', () => {
    const { title, body } = base();
    for (const secret of ['Maria', 'Lopez', 'maria.lopez', 'bigcorp', '1234 5678', '4111', 'U0CUSTOMER', 'U0OTHER', 'sk-live'])
      expect(`${title}\n${body}`).not.toContain(secret);
    expect(title).toContain('[email]');
    expect(body).not.toContain('Contact me');
  });

  it('configured redaction patterns apply too', () => {
    const { body } = base({ thread: ['order ACME-123456 failed with HTTP 500'], redactor: createRedactor(['ACME-\\d{6}']) });
    expect(body).toContain('order [redacted] failed with HTTP 500');
    expect(body).not.toContain('ACME-123456');
  });

  it('stays within the preview’s size, keeps the internal link and closes a cut code block', () => {
    const huge = `Checkout down\n\`\`\`\n${Array.from({ length: 400 }, (_, i) => `Error: failure number ${i} at step ${'x'.repeat(60)}`).join('\n')}\n\`\`\``;
    const { body } = base({ ticket: { key: 'T-1', title: 'Checkout down', text: huge, category: 'outage', priority: 'P0' }, thread: [] });
    expect(body.length).toBeLessThanOrEqual(MAX_BODY);
    expect(body.endsWith('Customer details stay there.')).toBe(true);
    expect((body.match(/```/g) ?? []).length % 2).toBe(0);
  });

  it('without steps or a plan it says what is missing; without an internal thread it names the ticket', () => {
    const { body } = base({ ticket: { key: 'T-7', title: 'Export is slow', text: 'Export is slow', category: 'performance', priority: 'P3' }, thread: [], checks: [], internalLink: null, impact: [{ key: 'T-7', requesterId: 'U1', createdAt: T0 }], vip: false, tier: 'standard' });
    expect(body).toContain('_None in the thread yet: add them here if you know them._');
    expect(body).not.toContain('Analyst checks');
    expect(body).not.toContain('## Logs');
    expect(body).toContain('- **Reports:** 1 ticket from 1 customer\n- **Requester tier:** standard\n');
    expect(body).toContain('frontdesk ticket T-7 (`/ticket show T-7`)');
  });
});

describe('extractors', () => {
  it('reproSteps: numbered lines, lines under a heading, expected/actual; not code', () => {
    expect(reproSteps('To reproduce:\nopen settings\n* click save\n\nunrelated')).toEqual({ steps: ['open settings', 'click save'], expected: [] });
    expect(reproSteps('1) sign in\n2) open reports\n```\n3. not a step\n```\nActual result: 500')).toEqual({ steps: ['sign in', 'open reports'], expected: ['Actual: 500'] });
    expect(reproSteps('it is broken')).toEqual({ steps: [], expected: [] });
  });

  it('reproSteps: steps written in one line after a label, numbered or joined by "then", become separate steps', () => {
    expect(reproSteps('Steps: 1. open settings 2. click save 3. see error').steps).toEqual(['open settings', 'click save', 'see error']);
    expect(reproSteps('to reproduce: open X, then click Y, then Z').steps).toEqual(['open X', 'click Y', 'Z']);
    expect(reproSteps('Exports fail since Monday. Steps: 1) open Reports 2) pick CSV 3) click Export\nThanks for looking').steps).toEqual(['open Reports', 'pick CSV', 'click Export']);
    expect(reproSteps('Steps to reproduce: open the app; tap login -> crash').steps).toEqual(['open the app', 'tap login', 'crash']);
    // A numbered line holding the whole list.
    expect(reproSteps('1. open settings 2. click save 3. see error').steps).toEqual(['open settings', 'click save', 'see error']);
    // Not steps: numbers out of sequence stay in their step; "next steps:" is not a reproduction.
    expect(reproSteps('1. upgrade to v2. 3. nothing').steps).toEqual(['upgrade to v2. 3. nothing']);
    expect(reproSteps('Next steps: we will call you').steps).toEqual([]);
    // A label with one step still heads the lines below it.
    expect(reproSteps('Steps to reproduce: open app\n- tap login').steps).toEqual(['open app', 'tap login']);
  });

  it('a one-line message with inline steps: numbered Steps section, and the summary stops where the steps start', () => {
    const { body } = base({
      ticket: { key: 'T-7', title: 'Saving settings fails', text: 'Saving settings fails for everyone. Steps: 1. open settings 2. click save 3. see error 500', category: 'bug', priority: 'P2' },
      thread: [],
    });
    expect(body).toMatch(/^## Summary\nSaving settings fails for everyone\.\n/);
    expect(body).toContain('## Steps to reproduce\n1. open settings\n2. click save\n3. see error 500\n');
  });

  it('environmentLines: key lines and browser/OS names with versions', () => {
    expect(environmentLines('OS: Windows 11\nusing Safari 17.1 on iPhone\nwe tried twice\nversion 2.3.0 of the app')).toEqual(['OS: Windows 11', 'using Safari 17.1 on iPhone', 'version 2.3.0 of the app']);
    expect(environmentLines('chrome is nice')).toEqual([]);
  });

  it('logExcerpts: code blocks, stack traces, error names and codes', () => {
    expect(logExcerpts('hello\nValueError: bad input\n  at foo (a.js:1:2)\nretry later\nHTTP 503 on login\n```\nline one\n```')).toEqual([
      'ValueError: bad input',
      'at foo (a.js:1:2)',
      'HTTP 503 on login',
      'line one',
    ]);
    expect(logExcerpts('all good, thanks')).toEqual([]);
  });

  it('a one-paragraph chat message: environment and errors are the sentences that have them, not the whole message again', () => {
    const msg =
      'Hi, I am writing because exports to CSV have been timing out since this morning for the whole finance team. We open Reports, click Export CSV and wait. Expected a file, actual: Error 504 Gateway Timeout. Chrome 120 on macOS 14.';
    expect(environmentLines(msg)).toEqual(['Chrome 120 on macOS 14.']);
    expect(logExcerpts(msg)).toEqual(['Expected a file, actual: Error 504 Gateway Timeout.']);
    // Short lines stay whole.
    expect(environmentLines('It fails. Chrome 120 on macOS 14.')).toEqual(['It fails. Chrome 120 on macOS 14.']);
  });

  it('scrub: names, mentions, greetings and sign-offs', () => {
    expect(scrub('Hi Dana, <@U0CUST> says it fails.\nBest regards,\nSam Okafor', ['U0CUST'])).toBe('Hi [name], [name] says it fails.\nBest regards');
  });
});

describe('follow-up issue', () => {
  it('has the scope and acceptance criteria, and the link back', () => {
    const { title, body } = followUpDraft({
      ticket: { key: 'T-9', title: 'SSO login loops for jane@corp.example', category: 'access', priority: 'P2' },
      followUp: { title: 'Document the SSO redirect setting', acceptanceCriteria: ['A docs page explains the redirect URL', 'Support links it from the SSO answer'] },
      internalLink: null,
      people: [],
    });
    expect(title).toBe('Document the SSO redirect setting');
    expect(body).toContain('## Scope\nDocument the SSO redirect setting');
    expect(body).toContain('"SSO login loops for [email]"');
    expect(body).toContain('## Acceptance criteria\n- [ ] A docs page explains the redirect URL\n- [ ] Support links it from the SSO answer');
    expect(body).toContain('frontdesk ticket T-9');
  });
});

/**
 * Redact first, then cut: a secret that straddles a length limit (the ~140-character title, the
 * 8,000/2,000-character model limits, similar tickets' titles, view and renderer limits) must
 * never escape as a fragment the redaction rules no longer recognise (`4111 1111 1111 11…`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_CHARS, MAX_THREAD_MESSAGE_CHARS } from '../../src/ai/case-data.js';
import { draftReply } from '../../src/ai/draft-reply.js';
import { renderFallback, renderQuote } from '../../adapters/slack/render-blocks.js';
import { cleanText, shorten, titleOf } from '../../src/util/text.js';
import { truncate } from '../../src/util/text.js';
import { FakeAnthropic, reply } from '../fakes/fake-anthropic.js';
import { makeTestCore } from '../helpers/core.js';
import { harness, insertTicket, persona, userText } from './helpers.js';

const CARD = '4111 1111 1111 1111';
/** Any 6+ digits of the test card in a row, with or without its spaces. */
const CARD_PIECE = /4111[ -]?11/;
const EMAIL = 'priya.sharma@acme-payments.example';

/** `n` filler characters (no digits, nothing the redactor knows). */
const pad = (n: number) => 'x'.repeat(n);

describe('the title (first line, cut at 140)', () => {
  it('redacts a card number that straddles the cut instead of keeping half of it', () => {
    const first = `${pad(130)} ${CARD} was charged twice`;
    const title = titleOf(first);
    expect(title.length).toBeLessThanOrEqual(140);
    expect(title).not.toMatch(CARD_PIECE);
    expect(title).toContain('[card]');
  });

  it('redacts an e-mail that straddles the cut', () => {
    const title = titleOf(`${pad(120)} write to ${EMAIL} please`);
    expect(title).not.toContain('priya');
    expect(title).toContain('[email]');
  });

  it('uses the configured extra patterns, and leaves a title that fits alone', () => {
    const redact = (s: string) => ({ text: s.replace(/ACME-\d{6}/g, '[redacted]'), counts: {}, total: 0 });
    expect(titleOf(`${pad(135)} ACME-123456`, redact)).not.toContain('ACME-1');
    expect(titleOf('Refund to 4111 1111 1111 1111 failed')).toBe('Refund to 4111 1111 1111 1111 failed');
  });

  it('a ticket opened through the core stores a title without half a card number', () => {
    const { core } = makeTestCore();
    const res = core.tickets.open({ platform: 'local', channelId: 'support', sourceMessageId: 'm-1', requesterId: 'U_CUST', text: `${pad(130)} ${CARD} charged twice, please refund`, force: true });
    expect(res.ticket!.title).not.toMatch(CARD_PIECE);
    expect(res.ticket!.title).toContain('[card]');
  });
});

describe('the stored text limit and view/renderer cuts', () => {
  it('cleanText redacts before cutting at the configured length', () => {
    const c = cleanText(`${pad(85)} ${CARD}`, 100);
    expect(c.text).not.toMatch(CARD_PIECE);
    expect(c.truncated).toBe(false); // redaction alone made it fit
    const long = cleanText(`${pad(95)} ${CARD} ${pad(200)}`, 100);
    expect(long.truncated).toBe(true);
    expect(long.text).not.toMatch(CARD_PIECE);
  });

  it('view truncation, the Slack quote and fallback, and shorten never show half a secret', () => {
    const text = `${pad(1190)} ${CARD} ${pad(50)}`;
    expect(truncate(text, 1200)).not.toMatch(CARD_PIECE);
    expect(renderQuote(`${pad(2990)} ${CARD}`)).not.toMatch(CARD_PIECE);
    expect(renderFallback(`${pad(2990)} ${EMAIL}`)).not.toContain('priya');
    expect(shorten(`${pad(10)} ${CARD}`, 20)).not.toMatch(CARD_PIECE);
    // A cut never splits a placeholder.
    expect(shorten(`${pad(10)} ${CARD} ${pad(30)}`, 15, '…')).toBe(`${pad(10)} …`);
  });
});

describe('what is sent to the model', () => {
  let fake: FakeAnthropic;
  beforeEach(async () => {
    fake = await FakeAnthropic.start();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('a secret straddling the 8,000 / 2,000 limits or a similar ticket title limit is redacted, not cut in half', async () => {
    const h = harness(fake, { ai: { redactPatterns: ['ACME-\\d{6}'] } });
    const ticket = insertTicket(h.db, { text: `${pad(MAX_MESSAGE_CHARS - 8)} ${CARD} ${pad(100)}` });
    fake.enqueue(reply.tool({ reply: 'We are on it.', sources: [], suggestions: ['Check the payment log.'] }));
    await draftReply(
      { ai: h.ai },
      {
        ticket,
        thread: [
          { role: 'customer', text: `${pad(MAX_THREAD_MESSAGE_CHARS - 10)} write to ${EMAIL}` },
          { role: 'customer', text: `${pad(MAX_THREAD_MESSAGE_CHARS - 5)} ACME-123456 ${pad(10)}` },
        ],
        similar: [{ key: 'T-0900', category: 'billing', resolution: `${pad(995)} ${CARD} refunded` }],
        persona: persona('support-specialist'),
      },
    );
    const wire = JSON.stringify(fake.messageRequests[0]!.body);
    expect(wire).not.toMatch(CARD_PIECE);
    expect(wire).not.toContain('priya');
    expect(wire).not.toContain('ACME-1');
    const user = userText(fake.messageRequests[0]!.body);
    expect(user).toContain('[card]');
    expect(user).toContain('[email]');
    expect(user).toContain('…[truncated]');
  });
});

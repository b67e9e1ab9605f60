/** Suggested replies: grounded AI drafts through the fake, and useful offline drafts without one. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DraftReplyInput, draftReply, offlineReply } from '../../src/ai/draft-reply.js';
import { FakeAnthropic, reply } from '../fakes/fake-anthropic.js';
import { harness, insertTicket, makeTicket, persona, systemText, userText } from './helpers.js';

const similar = [
  { key: 'T-0901', category: 'bug', resolution: 'Split the export by month (Reports → Export → Date range).' },
  { key: 'T-0877', category: 'bug', resolution: null },
];

const input = (overrides: Partial<DraftReplyInput> = {}): DraftReplyInput => ({
  ticket: makeTicket(),
  thread: [
    { role: 'customer', text: 'Our export stops at 10,000 rows. My phone is +1 (555) 123-4567.' },
    { role: 'agent', text: 'Thanks, looking into it.' },
  ],
  similar,
  persona: persona('support-specialist'),
  firstResponseDue: '10:00 UTC tomorrow',
  ...overrides,
});

let fake: FakeAnthropic;
beforeEach(async () => {
  fake = await FakeAnthropic.start();
});
afterEach(async () => {
  await fake.close();
});

describe('draftReply with AI', () => {
  it('sends the persona prompt (cached), the ticket, thread and similar tickets as redacted data, and returns the draft', async () => {
    const h = harness(fake);
    const ticket = insertTicket(h.db, { text: 'Export stops at 10,000 rows. Reach me at ana@acme.test' });
    fake.enqueue(
      reply.tool({
        reply: 'Thanks Ana — the export stops at 10,000 rows. Split it by month for now (fix from T-0901).',
        sources: ['T-0901', 'T-9999'],
        suggestions: ['Link the export-limits article.', 'Check for other export tickets this week.'],
      }),
    );
    const d = await draftReply({ ai: h.ai }, input({ ticket }));
    expect(d).toEqual({
      text: 'Thanks Ana — the export stops at 10,000 rows. Split it by month for now (fix from T-0901).',
      sources: ['T-0901'], // T-9999 was not among the similar tickets: dropped
      suggestions: ['Link the export-limits article.', 'Check for other export tickets this week.'],
      path: 'ai',
    });

    const body = fake.messageRequests[0]!.body;
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'record_reply' });
    expect(body.system[1].cache_control).toEqual({ type: 'ephemeral' });
    expect(systemText(body)).toContain('# Persona: Support Specialist');
    const user = userText(body);
    expect(user).toContain('<ticket>\nkey: T-1042');
    expect(user).toContain('first response due: 10:00 UTC tomorrow');
    expect(user).toContain('<customer_message>\nExport stops at 10,000 rows. Reach me at [email]\n</customer_message>');
    expect(user).toContain('[customer] Our export stops at 10,000 rows. My phone is [phone].');
    expect(user).toContain('[agent] Thanks, looking into it.');
    expect(user).toContain('- T-0901 (bug)\n  resolution: Split the export by month');
    expect(user).toContain('- T-0877 (bug)\n  resolution: (not recorded)');
    const wire = JSON.stringify(body);
    expect(wire).not.toContain('ana@acme.test');
    expect(wire).not.toContain('555) 123-4567');
    expect(wire).not.toContain('U-ANA'); // requester id is not needed, so not sent
    expect(h.repo.listCalls()).toMatchObject([{ purpose: 'draft_reply', ticketId: ticket.id, outcome: 'ok' }]);
  });

  it('uses the requested persona', async () => {
    const h = harness(fake);
    fake.enqueue(reply.tool({ reply: 'Could you send the steps?', sources: [], suggestions: ['Ask for a screenshot.'] }));
    await draftReply({ ai: h.ai }, input({ persona: persona('support-engineer') }));
    expect(systemText(fake.messageRequests[0]!.body)).toContain('# Persona: Support Engineer');
    expect(fake.messageRequests[0]!.body.max_tokens).toBe(persona('support-engineer').maxTokens);
  });

  it('falls back to the offline draft on overload, naming the reason', async () => {
    const h = harness(fake, { ai: { maxRetries: 1 } });
    fake.enqueue(reply.overloaded(), reply.overloaded());
    const d = await draftReply({ ai: h.ai }, input());
    expect(d.path).toBe('offline');
    expect(d.reason).toBe('error');
    expect(d.text).toContain('T-1042');
    expect(fake.messageRequests).toHaveLength(2);
  });

  it('falls back on a timeout instead of waiting forever', async () => {
    const h = harness(fake, { ai: { timeout: '0.2s', maxRetries: 0 } });
    fake.enqueue(reply.hang());
    const d = await draftReply({ ai: h.ai }, input());
    expect(d).toMatchObject({ path: 'offline', reason: 'timeout' });
  });

  it('falls back on invalid output (no suggestions)', async () => {
    const h = harness(fake);
    fake.enqueue(reply.tool({ reply: 'Hello', sources: [], suggestions: [] }));
    expect(await draftReply({ ai: h.ai }, input())).toMatchObject({ path: 'offline', reason: 'invalid_output' });
  });

  it('falls back when over budget, without calling', async () => {
    const h = harness(fake, { ai: { dailyTokenBudget: 50 } });
    fake.enqueue(reply.tool({ reply: 'first', sources: [], suggestions: ['x'] }));
    expect((await draftReply({ ai: h.ai }, input())).path).toBe('ai');
    expect(await draftReply({ ai: h.ai }, input())).toMatchObject({ path: 'offline', reason: 'over_budget' });
    expect(fake.messageRequests).toHaveLength(1);
  });
});

describe('draftReply offline (no key)', () => {
  it('builds a useful draft from the persona template, playbook and similar tickets, without any request', async () => {
    const h = harness(null, { env: { ANTHROPIC_BASE_URL: fake.url } });
    const d = await draftReply({ ai: h.ai }, input());
    expect(fake.requests).toHaveLength(0);
    expect(d.path).toBe('offline');
    expect(d.reason).toBe('disabled');
    expect(d.text).toBe(
      [
        'Hi Ana, thanks for raising this — we have it as T-1042: "CSV export stops at 10,000 rows".',
        '',
        'What happens next: We are reproducing the problem on our side; the steps you took and the exact error text help us do that faster.',
        '',
        'What to expect: Once we can reproduce it we will tell you whether there is a workaround and what the fix path is.',
        'You will hear from a person on our team by 10:00 UTC tomorrow at the latest.',
        '',
        'This looks like a case we have solved before:',
        '- Split the export by month (Reports → Export → Date range).',
        '',
        'If that does not sort it out, we will hand it to engineering with the reproduction details, so you will not be asked the same questions twice.',
      ].join('\n'),
    );
    // The source is named for the agent, but the customer text does not mention another ticket.
    expect(d.sources).toEqual(['T-0901']);
    expect(d.text).not.toContain('T-0901');
    expect(d.suggestions).toEqual(['Check that the fix from T-0901 still applies before sending.', 'Try to reproduce before escalating and attach the steps to the ticket.']);
  });

  it('leaves out lines it has no data for (no similar tickets, no deadline, no name)', () => {
    const d = offlineReply(input({ similar: [], firstResponseDue: undefined, ticket: makeTicket({ requesterName: null, category: 'billing' }) }));
    expect(d.text).not.toMatch(/\{\{|solved before|hear from/);
    expect(d.text.startsWith('Hi there, thanks for raising this')).toBe(true);
    expect(d.text).toContain('billing team');
    expect(d.sources).toEqual([]);
    expect(d.suggestions).toHaveLength(2);
  });

  it('works with ai: null and with every shipped persona', async () => {
    for (const id of ['support-specialist', 'support-engineer', 'operations-lead', 'analyst', 'product-manager']) {
      const d = await draftReply({ ai: null }, input({ persona: persona(id) }));
      expect(d.path).toBe('offline');
      expect(d.text).toContain('T-1042');
      expect(d.text).not.toContain('{{');
    }
  });

  it('differs by category', () => {
    const security = offlineReply(input({ ticket: makeTicket({ category: 'security' }), similar: [] }));
    const question = offlineReply(input({ ticket: makeTicket({ category: 'question' }), similar: [] }));
    expect(security.text).toMatch(/rotate/);
    expect(question.text).not.toMatch(/rotate/);
  });
});

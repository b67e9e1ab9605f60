/**
 * Teams as a new agent meets it (issue #11, item 8): `@frontdesk frobnicate 42` from an agent
 * in a channel gets the shared parser's explanation (privately), not silence; a customer's
 * `@frontdesk <request>` still opens a ticket.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT, CUSTOMER, cardOf, channelCommand, flatText, type Harness, startHarness } from './support.js';

describe('Teams: an agent’s unknown @frontdesk command', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const personalChatOf = (teamsId: string) => [...h.fake.createdConversations.entries()].find(([, m]) => m.includes(teamsId))?.[0];

  it('is answered privately with what the parser knows, and opens no ticket', async () => {
    await h.send(channelCommand(h.fake, AGENT, 'frobnicate 42'));
    await h.flush();
    const chat = personalChatOf(AGENT.id);
    expect(chat).toBeDefined();
    const answer = h.fake.messages().find((r) => r.conversationId === chat);
    const text = flatText(cardOf(answer)) + (answer?.body.text ?? '');
    expect(text).toContain('"frobnicate" is not a command I know');
    expect(text).toContain('assign');
    expect(h.core.tickets.repo.list()).toHaveLength(0);
  });

  it('from a customer is still a request', async () => {
    await h.send(channelCommand(h.fake, CUSTOMER, 'frobnicate fails with error 42 on checkout for all of us'));
    await h.flush();
    expect(h.core.tickets.repo.list()).toHaveLength(1);
  });
});

/**
 * The playground's resolution and CSAT round trip below the browser, and roles in its queue:
 * Resolve opens the note form for the agent, the requester's thread gets the CSAT question,
 * only the requester's rating counts (others get a private answer), and a customer's queue
 * shows only their own requests, without any buttons.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CsatRepo } from '../../src/store/csat-repo.js';
import { type RunningPlayground, call, startPlayground, textOf, waitFor } from './playground-harness.js';

interface Rendered {
  id: string;
  threadId: string | null;
  kind: string;
  visibleTo: string | null;
  html: string;
  authorId: string;
}

let pg: RunningPlayground;
afterEach(async () => {
  await pg?.close();
});

const post = (as: string, text: string) => call<{ message: { id: string }; outcome: { ticket?: string } }>(pg.base, 'POST', '/messages', as, { channelId: 'support', text });
const list = async (as: string) => (await call<{ messages: Rendered[] }>(pg.base, 'GET', '/channels/support/messages', as)).messages;

describe('playground: resolve → note form → CSAT', () => {
  it('the requester rates from their thread; someone else is told privately that only the requester can', async () => {
    pg = await startPlayground();
    const { message, outcome } = await post('alex', 'Login with SSO fails for me since this morning: "invalid SAMLResponse"');
    const key = outcome.ticket!;
    const cardId = await waitFor(() => pg.core.tickets.repo.getByKey(key)?.cardMessageId, 'card');

    await call(pg.base, 'POST', '/actions', 'dana', { actionId: 'ticket.resolve', value: key, messageId: cardId });
    expect(pg.core.tickets.require(key).status).toBe('resolved');
    const forms = (await call<{ forms: { title: string; html: string }[] }>(pg.base, 'GET', '/state', 'dana')).forms;
    expect(forms.map((f) => f.title)).toEqual([`Resolved ${key}`]);

    const ask = await waitFor(async () => (await list('alex')).find((m) => m.html.includes('data-action-id="csat.rate"')), 'the CSAT question');
    expect(ask).toMatchObject({ threadId: message.id, visibleTo: null });
    expect(ask.html).toContain('data-action-id="csat.still_broken"');
    expect(ask.html).not.toContain('data-action-id="ticket.');

    await call(pg.base, 'POST', '/actions', 'priya', { actionId: 'csat.rate', value: `${key}|1`, messageId: ask.id });
    const priyaSees = await waitFor(async () => (await list('priya')).find((m) => m.kind === 'ephemeral'), 'priya’s private answer');
    expect(textOf(priyaSees.html)).toContain('Only the person who asked for help');
    const repo = new CsatRepo(pg.core.db);
    expect(repo.get(pg.core.tickets.require(key).id)!.rating).toBeNull();

    await call(pg.base, 'POST', '/actions', 'alex', { actionId: 'csat.rate', value: `${key}|5`, messageId: ask.id });
    const thanks = await waitFor(async () => (await list('alex')).find((m) => m.kind === 'ephemeral' && m.visibleTo === 'alex'), 'alex’s thanks');
    expect(textOf(thanks.html)).toContain(`You rated ${key} 😀 5/5`);
    expect(repo.get(pg.core.tickets.require(key).id)!.rating).toBe(5);
  });
});

describe('playground: roles in the queue', () => {
  it("a customer's queue shows only their own requests and no buttons; an agent's shows everyone's with buttons", async () => {
    pg = await startPlayground();
    const mine = (await post('alex', 'Exports to CSV time out for our workspace')).outcome.ticket!;
    const theirs = (await post('priya', 'We were charged twice for the November invoice')).outcome.ticket!;
    const customer = (await call<{ html: string }>(pg.base, 'GET', '/queue', 'alex')).html;
    expect(textOf(customer)).toContain('Your requests');
    expect(textOf(customer)).toContain(mine);
    expect(textOf(customer)).not.toContain(theirs);
    expect(customer).not.toContain('data-action-id');
    const agent = (await call<{ html: string }>(pg.base, 'GET', '/queue', 'dana')).html;
    expect(textOf(agent)).toContain(mine);
    expect(textOf(agent)).toContain(theirs);
    expect(agent).toContain('data-action-id="ticket.resolve"');
  });
});

/**
 * Resolution and CSAT through the real botbuilder CloudAdapter and the fake Bot Connector:
 * Resolve answers with the resolution-note form, the requester's reply chain gets the CSAT
 * card (1–5 and Still broken, valid Adaptive Card), the requester's click is recorded on the
 * timeline, another person's click is refused privately.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CsatRepo } from '../../src/store/csat-repo.js';
import { AGENT, AGENT2, CHANNEL, CUSTOMER, cardOf, cardProblems, channelMessage, executeActions, executeInvoke, flatText, type Harness, startHarness } from './support.js';

describe('Teams: resolve → note form → CSAT round trip', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('the requester rates the resolution from the card in their reply chain; an agent cannot', async () => {
    const msg = channelMessage(h.fake, CUSTOMER, 'Checkout fails with error 502 for all users since 10:00');
    await h.send(msg);
    await h.flush();
    const root = msg.id as string;
    const ticket = h.core.tickets.repo.findBySource('teams', CHANNEL, root)!;
    const card = h.fake.messages().find((r) => r.returnedId === ticket.cardMessageId)!;
    const chain = { conversationId: `${CHANNEL};messageid=${root}`, conversationType: 'channel' };

    const resolve = executeActions(cardOf(card)).find((a) => a.title === 'Resolve');
    const res = await h.send(executeInvoke(h.fake, AGENT, { ...chain, cardMessageId: card.returnedId! }, { verb: resolve.verb, data: resolve.data }));
    // biome-ignore lint/suspicious/noExplicitAny: invoke bodies are JSON
    const form = (res.body as any).value;
    expect(flatText(form)).toContain('Resolution note (optional)');
    expect(h.core.tickets.repo.get(ticket.id)!.status).toBe('resolved');
    await h.flush();

    const ask = h.fake.messages().find((r) => r.conversationId === chain.conversationId && executeActions(cardOf(r) ?? {}).some((a) => a.data?.actionId === 'csat.rate'));
    expect(ask).toBeTruthy();
    const askCard = cardOf(ask);
    expect(cardProblems(askCard)).toEqual([]);
    const rates = executeActions(askCard).filter((a) => a.data?.actionId === 'csat.rate');
    expect(rates.map((a) => a.title)).toEqual(['😞 1', '🙁 2', '😐 3', '🙂 4', '😀 5']);
    expect(executeActions(askCard).some((a) => a.data?.actionId === 'csat.still_broken')).toBe(true);
    expect(flatText(askCard)).not.toContain('Priority');

    const four = rates.find((a) => a.title === '🙂 4');
    const refused = await h.send(executeInvoke(h.fake, AGENT2, { ...chain, cardMessageId: ask!.returnedId! }, { verb: four.verb, data: four.data }));
    expect(JSON.stringify(refused.body)).toContain('Only the person who asked for help');
    const repo = new CsatRepo(h.core.db);
    expect(repo.get(ticket.id)!.rating).toBeNull();

    const ok = await h.send(executeInvoke(h.fake, CUSTOMER, { ...chain, cardMessageId: ask!.returnedId! }, { verb: four.verb, data: four.data }));
    expect(JSON.stringify(ok.body)).toContain('Thank you!');
    expect(repo.get(ticket.id)!.rating).toBe(4);
    expect(h.core.tickets.repo.events(ticket.id).find((e) => e.type === 'csat_rated')).toMatchObject({ actor: CUSTOMER.aadObjectId, data: { rating: 4 } });
  });
});

/**
 * A desk history for the customer outcomes (CSAT, first-contact resolution, reopen rate), written
 * through the real use cases and buttons with a ManualClock; the numbers were worked out by hand
 * (see outcomes.test.ts). All times UTC.
 *
 * Week before (Mon 16 – Sun 22 Nov 2026):
 *  P1 Tue 17 09:00 reply 09:30, resolved 10:00, rated 5 at 11:00          FCR
 *  P2 Wed 18 09:00 replies 09:30 and 10:00, resolved 11:00, rated 5       not FCR (two replies)
 * Week of Mon 23 Nov:
 *  C1 Mon 23 09:00 reply 09:10, resolved 09:30; rated 4 at 10:00, changed to 5 at 12:00    FCR
 *  C2 Mon 23 10:00 reply 10:15, resolved 11:00; "still broken" 12:00; reply 13:00,
 *     resolved 14:00; rated 2 at 15:00                                      reopened, not FCR
 *  C3 Tue 24 09:00 resolved 09:30 without any agent reply                   not FCR
 *  C4 Tue 24 10:00 reply 10:30, resolved 11:00; rated 4 Wed 25 09:00; a change to 1 on
 *     Thu 26 10:00 is refused (over 24 h)                                   FCR
 *  C5 Wed 25 09:00 reply 09:30, resolved 10:00; an agent's click on a rating is refused;
 *     the requester rates 1 at 11:00                                        FCR
 */
import type { Ticket } from '../../src/domain/types.js';
import { ACTIONS } from '../../src/views/action-ids.js';
import type { MessageView } from '../../src/ports/message-view.js';
import { AGENT2, CHANNEL, CUSTOMER, type Desk, OWNER } from '../sla-watcher/helpers.js';

export interface OutcomeFixture {
  P1: Ticket;
  P2: Ticket;
  C1: Ticket;
  C2: Ticket;
  C3: Ticket;
  C4: Ticket;
  C5: Ticket;
  /** Private answers to the refused clicks. */
  refusedLate: MessageView;
  refusedAgent: MessageView;
}

/** Write the history into `d` (events in time order). */
export async function seedOutcomes(d: Desk): Promise<OutcomeFixture> {
  const at = (iso: string) => d.clock.set(Date.parse(iso));
  let n = 0;
  const open = (when: string, text: string): Ticket => {
    at(when);
    n += 1;
    const res = d.core.tickets.open({
      platform: 'slack',
      channelId: CHANNEL,
      sourceMessageId: `1795100000.${String(n).padStart(6, '0')}`,
      requesterId: CUSTOMER,
      text,
      force: true,
      overrides: { priority: 'P2', category: 'question', ownerId: OWNER },
    });
    return res.ticket!;
  };
  const reply = (when: string, t: Ticket, who = OWNER) => {
    at(when);
    d.core.tickets.recordReply({ platform: 'slack', channelId: CHANNEL, threadId: t.threadId!, messageId: `r-${t.id}-${when}`, authorId: who, text: 'Here is what to do.' });
  };
  const resolve = (when: string, t: Ticket) => {
    at(when);
    d.core.tickets.resolve(t.key, OWNER);
  };
  const click = async (when: string, actionId: string, value: string, userId = CUSTOMER): Promise<MessageView> => {
    at(when);
    const res = await d.core.interactions.action(actionId, value, { platform: 'slack', userId, channelId: CHANNEL });
    return res.ephemeral!;
  };
  const rate = (when: string, t: Ticket, rating: number, userId = CUSTOMER) => click(when, ACTIONS.csatRate, `${t.key}|${rating}`, userId);

  const P1 = open('2026-11-17T09:00:00Z', 'How do I export invoices?');
  reply('2026-11-17T09:30:00Z', P1);
  resolve('2026-11-17T10:00:00Z', P1);
  await rate('2026-11-17T11:00:00Z', P1, 5);
  const P2 = open('2026-11-18T09:00:00Z', 'Where is the API key page?');
  reply('2026-11-18T09:30:00Z', P2);
  reply('2026-11-18T10:00:00Z', P2, AGENT2);
  resolve('2026-11-18T11:00:00Z', P2);
  await rate('2026-11-18T12:00:00Z', P2, 5);

  const C1 = open('2026-11-23T09:00:00Z', 'Cannot change my avatar');
  reply('2026-11-23T09:10:00Z', C1);
  resolve('2026-11-23T09:30:00Z', C1);
  await rate('2026-11-23T10:00:00Z', C1, 4);
  const C2 = open('2026-11-23T10:00:00Z', 'Webhooks are not delivered');
  reply('2026-11-23T10:15:00Z', C2);
  resolve('2026-11-23T11:00:00Z', C2);
  await rate('2026-11-23T12:00:00Z', C1, 5);
  await click('2026-11-23T12:00:00Z', ACTIONS.csatStillBroken, C2.key);
  reply('2026-11-23T13:00:00Z', C2);
  resolve('2026-11-23T14:00:00Z', C2);
  await rate('2026-11-23T15:00:00Z', C2, 2);
  const C3 = open('2026-11-24T09:00:00Z', 'Duplicate of my earlier request');
  resolve('2026-11-24T09:30:00Z', C3);
  const C4 = open('2026-11-24T10:00:00Z', 'Two-factor codes arrive late');
  reply('2026-11-24T10:30:00Z', C4);
  resolve('2026-11-24T11:00:00Z', C4);
  const C5 = open('2026-11-25T09:00:00Z', 'The mobile app logs me out');
  await rate('2026-11-25T09:00:00Z', C4, 4);
  reply('2026-11-25T09:30:00Z', C5);
  resolve('2026-11-25T10:00:00Z', C5);
  const refusedAgent = await rate('2026-11-25T10:30:00Z', C5, 5, AGENT2);
  await rate('2026-11-25T11:00:00Z', C5, 1);
  const refusedLate = await rate('2026-11-26T10:00:00Z', C4, 1);
  return { P1, P2, C1, C2, C3, C4, C5, refusedLate, refusedAgent };
}

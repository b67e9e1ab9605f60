/**
 * TicketMessenger: how the core says anything about a ticket. Every view is queued in the
 * outbox at the place {@link placeFor} decides — the customer's thread, the triage channel,
 * the ticket's internal thread, or privately to agents (ephemeral / DM) in inline mode.
 * Call `send` inside the transaction that makes the change it reports.
 */
import type { FrontdeskConfig } from '../config/schema.js';
import type { Ticket } from '../domain/types.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Sender } from '../ports/chat-port.js';
import type { Directory } from '../routing/directory.js';
import type { MessageView } from '../ports/message-view.js';
import { placeFor, type Purpose } from './placement.js';

/** A private message in inline mode reaches at most this many agents. */
export const MAX_PRIVATE_RECIPIENTS = 5;

export interface SendOptions {
  purpose: Purpose;
  /** Idempotency key: the same key twice is queued once. */
  key: string;
  /** Who gets it when it goes privately (inline mode); default: the owner, else the team, else the leads. */
  to?: readonly string[];
  /** When private: a DM (it can be updated later, e.g. prompts with buttons) instead of an ephemeral in the thread. */
  dm?: boolean;
  /** Post in this person's name (agents' replies to customers). */
  as?: Sender;
  /** This is the ticket's acknowledgement (remembered; it starts the customer thread if there is none). */
  ack?: boolean;
}

export class TicketMessenger {
  constructor(private readonly d: { config: FrontdeskConfig; outbox: Outbox; directory: Directory }) {}

  /**
   * Queue `view` about ticket `t` where the rule puts it. Returns where it went.
   * @example messenger.send(t, planView(t, plan), { purpose: 'work', key: `plan-post:${id}` })
   */
  send(t: Ticket, view: MessageView, o: SendOptions): 'customer_thread' | 'triage_channel' | 'internal_thread' | 'private' | 'nowhere' {
    if (t.platform === 'cli') return 'nowhere';
    const { outbox } = this.d;
    const place = placeFor(t, view, o.purpose);
    const base = { platform: t.platform, ticketId: t.id };
    switch (place.kind) {
      case 'customer_thread':
        outbox.enqueue({
          ...base,
          idempotencyKey: o.key,
          payload: {
            kind: 'post',
            channelId: place.channelId,
            threadOfTicket: t.id,
            view,
            ...(o.as ? { as: o.as } : {}),
            ...(o.ack ? { ackOfTicket: t.id } : {}),
            ...(place.shared ? { purpose: o.purpose } : {}),
          },
        });
        return place.kind;
      case 'triage_channel':
        outbox.enqueue({ ...base, idempotencyKey: o.key, payload: { kind: 'post', channelId: place.channelId, view, purpose: o.purpose } });
        return place.kind;
      case 'internal_thread':
        outbox.enqueue({ ...base, idempotencyKey: o.key, payload: { kind: 'post', channelId: place.channelId, internalThreadOfTicket: t.id, view, purpose: o.purpose } });
        return place.kind;
      case 'private': {
        const to = o.to && o.to.length > 0 ? [...new Set(o.to)] : this.recipients(t);
        for (const userId of to)
          outbox.enqueue({
            ...base,
            idempotencyKey: `${o.key}:to:${userId}`,
            payload: o.dm ? { kind: 'dm', userId, view } : { kind: 'ephemeral', channelId: place.channelId, userId, threadOfTicket: t.id, view },
          });
        return to.length ? place.kind : 'nowhere';
      }
    }
  }

  /**
   * A private message for ONE agent about a ticket — a prompt or a confirm step after their own
   * action (a ✅ reaction): in triage mode an ephemeral in the ticket's internal thread, in
   * inline mode an ephemeral in the requester's thread. Only `userId` sees it.
   * @example messenger.sendToAgent(t, resolutionNotePromptView(t), 'U_DANA', `note-prompt:${t.id}:U_DANA`)
   */
  sendToAgent(t: Ticket, view: MessageView, userId: string, key: string): 'internal_thread' | 'private' | 'nowhere' {
    if (t.platform === 'cli') return 'nowhere';
    const place = placeFor(t, { ...view, audience: 'internal' }, 'work');
    const base = { platform: t.platform, ticketId: t.id, idempotencyKey: key };
    if (place.kind === 'internal_thread') {
      this.d.outbox.enqueue({ ...base, payload: { kind: 'ephemeral', channelId: place.channelId, userId, internalThreadOfTicket: t.id, view } });
      return 'internal_thread';
    }
    this.d.outbox.enqueue({ ...base, payload: { kind: 'ephemeral', channelId: t.channelId, userId, threadOfTicket: t.id, view } });
    return 'private';
  }

  /** Agents who get private work about a ticket: the owner, else the team (not away), else the leads, else any known agents. */
  recipients(t: Ticket): string[] {
    const { config, directory } = this.d;
    if (t.ownerId) return [t.ownerId];
    const team = config.teams.find((x) => x.id === t.team);
    const members = (team?.members ?? []).filter((m) => !directory.isAway(m));
    if (members.length) return members.slice(0, MAX_PRIVATE_RECIPIENTS);
    if (config.leads.length) return config.leads.slice(0, MAX_PRIVATE_RECIPIENTS);
    return directory.agentIds().filter((m) => !directory.isAway(m)).slice(0, MAX_PRIVATE_RECIPIENTS);
  }
}

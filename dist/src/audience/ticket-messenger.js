import { placeFor } from './placement.js';
/** A private message in inline mode reaches at most this many agents. */
export const MAX_PRIVATE_RECIPIENTS = 5;
export class TicketMessenger {
    d;
    constructor(d) {
        this.d = d;
    }
    /**
     * Queue `view` about ticket `t` where the rule puts it. Returns where it went.
     * @example messenger.send(t, planView(t, plan), { purpose: 'work', key: `plan-post:${id}` })
     */
    send(t, view, o) {
        if (t.platform === 'cli')
            return 'nowhere';
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
    sendToAgent(t, view, userId, key) {
        if (t.platform === 'cli')
            return 'nowhere';
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
    recipients(t) {
        const { config, directory } = this.d;
        if (t.ownerId)
            return [t.ownerId];
        const team = config.teams.find((x) => x.id === t.team);
        const members = (team?.members ?? []).filter((m) => !directory.isAway(m));
        if (members.length)
            return members.slice(0, MAX_PRIVATE_RECIPIENTS);
        if (config.leads.length)
            return config.leads.slice(0, MAX_PRIVATE_RECIPIENTS);
        return directory.agentIds().filter((m) => !directory.isAway(m)).slice(0, MAX_PRIVATE_RECIPIENTS);
    }
}
//# sourceMappingURL=ticket-messenger.js.map